package io.clearhouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.core.log.DecisionRecords;
import org.junit.jupiter.api.Test;

class CoordinatorOptionsTest {
    @Test
    void doublesThePhaseTwoPauseUpToItsBound() {
        CoordinatorOptions options = CoordinatorOptions.defaults().withPhaseTwoRetry(10, 100, 20);
        assertThat(options.phaseTwoRetryDelayMillis(1)).isEqualTo(10);
        assertThat(options.phaseTwoRetryDelayMillis(2)).isEqualTo(20);
        assertThat(options.phaseTwoRetryDelayMillis(4)).isEqualTo(80);
        assertThat(options.phaseTwoRetryDelayMillis(5)).isEqualTo(100);
        assertThat(options.phaseTwoRetryDelayMillis(60)).isEqualTo(100);
    }

    @Test
    void refusesLimitsThatAreNotPositive() {
        assertThatThrownBy(() -> CoordinatorOptions.defaults().withPrepareTimeoutMillis(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prepareTimeoutMillis");
        assertThatThrownBy(() -> CoordinatorOptions.defaults().withInFlightMax(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inFlightMax");
    }

    @Test
    void refusesAMaximumPauseBelowTheFirst() {
        assertThatThrownBy(() -> CoordinatorOptions.defaults().withPhaseTwoRetry(100, 10, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void boundsBankMessagesAndAllowsNoLinger() {
        CoordinatorOptions defaults = CoordinatorOptions.defaults();
        assertThat(defaults.bankMessageBranchesMax()).isEqualTo(256);
        assertThat(defaults.bankMessageLingerMillis()).isZero();
        assertThat(defaults.bankMessagesInFlightMax()).isEqualTo(1);
        assertThat(defaults.withBankMessageLingerMillis(2).withBankMessagesInFlightMax(3))
                .isEqualTo(defaults.withBankMessagesInFlightMax(3).withBankMessageLingerMillis(2));
        assertThatThrownBy(() -> defaults.withBankMessageBranchesMax(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bankMessageBranchesMax");
        assertThatThrownBy(() -> defaults.withBankMessagesInFlightMax(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bankMessagesInFlightMax");
        assertThatThrownBy(() -> defaults.withBankMessageLingerMillis(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bankMessageLingerMillis");
    }

    @Test
    void boundsIdsByWhatEveryDecisionLogStores() {
        assertThat(CoordinatorOptions.defaults().idLengthMax()).isEqualTo(DecisionRecords.TEXT_LENGTH_MAX);
        assertThat(CoordinatorOptions.defaults().withIdLengthMax(256).idLengthMax())
                .isEqualTo(256);
        assertThatThrownBy(() -> CoordinatorOptions.defaults().withIdLengthMax(DecisionRecords.TEXT_LENGTH_MAX + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idLengthMax must lie in 1..16384, the longest id a decision log stores: 16385");
        assertThatThrownBy(() -> CoordinatorOptions.defaults().withIdLengthMax(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsIdleThreadsThirtySecondsByDefaultAndRefusesNoKeepAlive() {
        assertThat(CoordinatorOptions.defaults().idleThreadKeepAliveMillis()).isEqualTo(30_000);
        assertThat(CoordinatorOptions.defaults()
                        .withIdleThreadKeepAliveMillis(5)
                        .idleThreadKeepAliveMillis())
                .isEqualTo(5);
        assertThatThrownBy(() -> CoordinatorOptions.defaults().withIdleThreadKeepAliveMillis(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleThreadKeepAliveMillis must be positive: 0");
    }

    @Test
    void refusesNoCloseTimeoutAndNoRecoveryAttempt() {
        assertThatThrownBy(() -> CoordinatorOptions.defaults().withCloseTimeoutMillis(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("closeTimeoutMillis must be positive: 0");
        assertThatThrownBy(() -> CoordinatorOptions.defaults().withRecoveryAttemptsMax(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recoveryAttemptsMax must be positive: 0");
    }

    @Test
    void namesBothPausesWhenTheMaximumIsBelowTheFirst() {
        assertThatThrownBy(() -> CoordinatorOptions.defaults().withPhaseTwoRetry(100, 10, 5))
                .hasMessage("phaseTwoRetryMaxDelayMillis 10 is below phaseTwoRetryInitialDelayMillis 100");
    }
}
