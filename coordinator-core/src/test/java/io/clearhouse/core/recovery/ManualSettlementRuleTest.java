package io.clearhouse.core.recovery;

import static io.clearhouse.core.recovery.BranchOutcome.COMMIT;
import static io.clearhouse.core.recovery.BranchOutcome.ROLLBACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.core.recovery.ManualSettlementRule.Verdict;
import org.junit.jupiter.api.Test;

class ManualSettlementRuleTest {
    private static Verdict judge(BranchOutcome decided, BranchOutcome requested, boolean forced) {
        return ManualSettlementRule.judge(decided, new ManualSettlementRequest("t-1", "2", requested, forced));
    }

    @Test
    void allowsTheOutcomeTheLogDecidedForcedOrNot() {
        assertThat(judge(COMMIT, COMMIT, false)).isEqualTo(Verdict.AS_DECIDED);
        assertThat(judge(ROLLBACK, ROLLBACK, false)).isEqualTo(Verdict.AS_DECIDED);
        assertThat(judge(COMMIT, COMMIT, true)).isEqualTo(Verdict.AS_DECIDED);
        assertThat(judge(ROLLBACK, ROLLBACK, true)).isEqualTo(Verdict.AS_DECIDED);
    }

    @Test
    void refusesACommitWhereTheLogHoldsNoCommitDecisionUnlessForced() {
        assertThat(judge(ROLLBACK, COMMIT, false)).isEqualTo(Verdict.CONTRADICTS_DECISION);
        assertThat(judge(ROLLBACK, COMMIT, true)).isEqualTo(Verdict.HEURISTIC);
    }

    @Test
    void refusesARollbackWhereTheLogHoldsACommitDecisionUnlessForced() {
        assertThat(judge(COMMIT, ROLLBACK, false)).isEqualTo(Verdict.CONTRADICTS_DECISION);
        assertThat(judge(COMMIT, ROLLBACK, true)).isEqualTo(Verdict.HEURISTIC);
    }

    @Test
    void sendsUnlessTheOutcomeContradictsTheLogUnforced() {
        assertThat(Verdict.AS_DECIDED.sends()).isTrue();
        assertThat(Verdict.HEURISTIC.sends()).isTrue();
        assertThat(Verdict.CONTRADICTS_DECISION.sends()).isFalse();
    }

    @Test
    void aDecisionAsksCommitOrUnderPresumedAbortRollback() {
        assertThat(BranchOutcome.ofDecision(true)).isEqualTo(COMMIT);
        assertThat(BranchOutcome.ofDecision(false)).isEqualTo(ROLLBACK);
    }
}
