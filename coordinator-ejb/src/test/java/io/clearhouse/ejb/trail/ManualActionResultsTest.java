package io.clearhouse.ejb.trail;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.core.recovery.BranchOutcome;
import io.clearhouse.core.recovery.InDoubtReport;
import io.clearhouse.core.recovery.ManualSettlementResult;
import org.junit.jupiter.api.Test;

class ManualActionResultsTest {
    @Test
    void saysSettledAndWhatTheLogDecidedBesideAHeuristicOutcome() {
        assertThat(ManualActionResults.of(new ManualSettlementResult.Settled("1.4", BranchOutcome.COMMIT, false)))
                .isEqualTo("settled");
        assertThat(ManualActionResults.of(new ManualSettlementResult.Settled("1.4", BranchOutcome.COMMIT, true)))
                .isEqualTo("settled: heuristic, the log decided commit");
    }

    @Test
    void tellsARefusalFromAFailure() {
        assertThat(ManualActionResults.of(new ManualSettlementResult.NotInDoubt()))
                .isEqualTo("refused: NOT_IN_DOUBT");
        assertThat(ManualActionResults.of(new ManualSettlementResult.ContradictsDecision(BranchOutcome.ROLLBACK)))
                .isEqualTo("refused: DECISION_MISMATCH");
        assertThat(ManualActionResults.of(new ManualSettlementResult.BankFailed("bank 2: connection refused")))
                .isEqualTo("failed: BANK_UNAVAILABLE");
    }

    @Test
    void namesARecoveryPassCountsAsTheApiDoes() {
        assertThat(ManualActionResults.of(new InDoubtReport(1, 2, 3, 4)))
                .isEqualTo("committed=1 rolled_back=2 skipped_in_flight=3 still_in_doubt=4");
    }

    @Test
    void cutsALongFailureToItsLimit() {
        String result = ManualActionResults.failed(new IllegalStateException("x".repeat(5_000)));

        assertThat(result).startsWith("failed: IllegalStateException: xxx");
        assertThat(result).hasSize(ManualActionResults.FAILURE_LENGTH_MAX);
    }
}
