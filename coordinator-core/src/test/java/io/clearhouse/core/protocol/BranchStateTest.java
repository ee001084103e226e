package io.clearhouse.core.protocol;

import static io.clearhouse.core.protocol.BranchState.ABANDONED;
import static io.clearhouse.core.protocol.BranchState.ACKNOWLEDGED;
import static io.clearhouse.core.protocol.BranchState.PHASE_TWO_SENT;
import static io.clearhouse.core.protocol.BranchState.PREPARE_FAILED;
import static io.clearhouse.core.protocol.BranchState.PREPARE_SENT;
import static io.clearhouse.core.protocol.BranchState.VOTED_ABORT;
import static io.clearhouse.core.protocol.BranchState.VOTED_COMMIT;
import static io.clearhouse.core.protocol.BranchState.VOTED_READ_ONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BranchStateTest {
    private static final Map<BranchState, Set<BranchState>> ALLOWED = Map.of(
            PREPARE_SENT, EnumSet.of(VOTED_COMMIT, VOTED_READ_ONLY, VOTED_ABORT, PREPARE_FAILED, PHASE_TWO_SENT),
            VOTED_COMMIT, EnumSet.of(PHASE_TWO_SENT),
            VOTED_READ_ONLY, EnumSet.of(PHASE_TWO_SENT),
            VOTED_ABORT, EnumSet.of(PHASE_TWO_SENT),
            PREPARE_FAILED, EnumSet.of(PHASE_TWO_SENT),
            PHASE_TWO_SENT, EnumSet.of(ACKNOWLEDGED, ABANDONED),
            ACKNOWLEDGED, EnumSet.noneOf(BranchState.class),
            ABANDONED, EnumSet.noneOf(BranchState.class));

    @Test
    void everyMoveInTheTableIsAllowedAndEveryOtherRefused() {
        for (BranchState from : BranchState.values()) {
            for (BranchState to : BranchState.values()) {
                if (ALLOWED.get(from).contains(to)) {
                    assertThat(from.transitionTo(to)).isEqualTo(to);
                } else {
                    assertThatThrownBy(() -> from.transitionTo(to))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessage("illegal branch transition " + from + " -> " + to);
                }
            }
        }
    }
}
