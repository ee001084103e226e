package io.clearhouse.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryDecisionLogTest {
    @Test
    void discardingLogKeepsNothingAndForcesNothing() {
        InMemoryDecisionLog log = InMemoryDecisionLog.discarding();
        log.appendDurably(new DecisionRecord.Completion("1.1")).join();
        assertThat(log.recoveredRecords()).isEmpty();
        assertThat(log.outcomeOf("t1")).isEmpty();
        assertThat(log.forcedWrites()).isZero();
    }

    @Test
    void discardingLogStillRefusesARecordADurableLogWouldRefuse() {
        InMemoryDecisionLog log = InMemoryDecisionLog.discarding();
        DecisionRecord unbalanced =
                new DecisionRecord.CommitDecision("1.1", "t1", List.of(new Posting("a", -1)), List.of("A"));

        assertThatThrownBy(() -> log.appendDurably(unbalanced)).isInstanceOf(CorruptDecisionRecordException.class);
    }
}
