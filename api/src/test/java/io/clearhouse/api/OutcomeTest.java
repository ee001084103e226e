package io.clearhouse.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutcomeTest {
    @Test
    void committedOutcomeHasNoReason() {
        Outcome outcome = Outcome.committed("t1");

        assertThat(outcome.isCommitted()).isTrue();
        assertThat(outcome.reason()).isNull();
        assertThat(outcome.status().wireName()).isEqualTo("committed");
    }

    @Test
    void abortedOutcomeCarriesItsReason() {
        Outcome outcome = Outcome.aborted("t1", Reason.INSUFFICIENT_FUNDS);

        assertThat(outcome.isCommitted()).isFalse();
        assertThat(outcome.reason()).isEqualTo(Reason.INSUFFICIENT_FUNDS);
        assertThat(outcome.status().wireName()).isEqualTo("aborted");
    }

    @Test
    void refusesReasonOnCommitAndAbortWithoutReason() {
        assertThatThrownBy(() -> new Outcome("t1", Status.COMMITTED, Reason.TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Outcome("t1", Status.ABORTED, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Outcome.aborted("t1", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void reasonCodesKeepTheBatchPrecedenceOrder() {
        assertThat(Reason.values())
                .startsWith(
                        Reason.INVALID_FORMAT,
                        Reason.DUPLICATE_ID,
                        Reason.INVALID_AMOUNT,
                        Reason.SAME_ACCOUNT,
                        Reason.UNKNOWN_ACCOUNT,
                        Reason.INSUFFICIENT_FUNDS,
                        Reason.BALANCE_OVERFLOW);
    }
}
