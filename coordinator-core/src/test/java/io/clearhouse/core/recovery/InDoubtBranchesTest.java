package io.clearhouse.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.spi.Xid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class InDoubtBranchesTest {
    private static final Instant HANDED_OVER = Instant.parse("2026-12-06T10:00:00Z");

    private final InDoubtBranches inDoubt = new InDoubtBranches(Clock.fixed(HANDED_OVER, ZoneOffset.UTC));

    @Test
    void datesEachTransactionWhenPhaseTwoHandsItOverAndKeepsThatDateWhilePartsStayInDoubt() {
        Xid first = new Xid("1.7", "a");
        Xid second = new Xid("1.7", "b");
        inDoubt.remember("1.7", "t-7", List.of(first, second), true);

        InDoubtBranches.Transaction transaction = inDoubt.transactions().get(0);
        inDoubt.settle(transaction, List.of(second));

        InDoubtBranches.Transaction left = inDoubt.transactions().get(0);
        assertThat(left.branches()).containsExactly(second);
        assertThat(left.inDoubtSince()).isEqualTo(HANDED_OVER);
        assertThat(left.age(HANDED_OVER.plusSeconds(90))).isEqualTo(Duration.ofSeconds(90));
        assertThat(inDoubt.count()).isEqualTo(1);
    }

    @Test
    void forgetsATransactionOnceNothingOfItIsInDoubt() {
        inDoubt.remember("1.8", "t-8", List.of(new Xid("1.8", "a")), false);

        inDoubt.settle(inDoubt.transactions().get(0), List.of());

        assertThat(inDoubt.transactions()).isEmpty();
        assertThat(inDoubt.count()).isZero();
    }

    @Test
    void refusesATransactionThatIsOverTwice() {
        inDoubt.remember("1.9", "t-9", List.of(new Xid("1.9", "a")), true);

        assertThatThrownBy(() -> inDoubt.remember("1.9", "t-9", List.of(new Xid("1.9", "a")), true))
                .isInstanceOf(IllegalStateException.class);
    }
}
