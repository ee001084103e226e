package io.clearhouse.ejb.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The last transactions the API answered: newest first, bounded, the oldest overwritten. */
class RecentTransactionsTest {
    private static final Instant AT = Instant.parse("2026-12-07T08:00:00Z");

    @Test
    void listsNewestFirstWithTheirOutcomes() {
        RecentTransactions recent = new RecentTransactions(3);
        recent.record(Transaction.transfer("t-1", "a", "b", 5), Outcome.committed("t-1"), AT);
        recent.record(
                Transaction.transfer("t-2", "a", "b", 7),
                Outcome.aborted("t-2", Reason.INSUFFICIENT_FUNDS),
                AT.plusSeconds(1));

        assertThat(recent.newestFirst())
                .extracting(entry -> entry.outcome().transactionId())
                .containsExactly("t-2", "t-1");
        assertThat(recent.newestFirst().get(0).outcome().reason()).isEqualTo(Reason.INSUFFICIENT_FUNDS);
        assertThat(recent.newestFirst().get(1).at()).isEqualTo(AT);
    }

    @Test
    void keepsOnlyTheLastCapacityTransactions() {
        RecentTransactions recent = new RecentTransactions(3);
        for (int n = 1; n <= 7; n++) {
            recent.record(Transaction.transfer("t-" + n, "a", "b", n), Outcome.committed("t-" + n), AT);
        }

        assertThat(recent.newestFirst())
                .extracting(entry -> entry.outcome().transactionId())
                .containsExactly("t-7", "t-6", "t-5");
    }

    @Test
    void isEmptyBeforeTheFirstTransaction() {
        assertThat(new RecentTransactions(2).newestFirst()).isEmpty();
    }

    @Test
    void refusesAnEmptyRing() {
        assertThatThrownBy(() -> new RecentTransactions(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
