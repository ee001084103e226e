package io.clearhouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Submission;
import io.clearhouse.core.log.DecisionLogStorage;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.recovery.BranchOutcome;
import io.clearhouse.core.recovery.InDoubtReport;
import io.clearhouse.core.recovery.ManualSettlementRequest;
import io.clearhouse.core.recovery.ManualSettlementResult;
import io.clearhouse.spi.BankAdapter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EmbeddedCoordinator#settleInDoubt}: an operator settles a branch that phase two gave up on, once; an outcome
 * against the log is refused unless forced, and a forced one leaves the log and the reported outcome as decided. The
 * invariants are checked after every test, with a heuristic decision's difference where one was forced.
 */
class ManualSettlementTest {
    private final BankCluster cluster = BankCluster.inMemory(BankCluster.twoBanks());
    private final DecisionLogStorage storage = new DecisionLogStorage();
    private EmbeddedCoordinator coordinator;
    private long heuristicDifference;

    @AfterEach
    void closeAndCheckInvariants() {
        cluster.closeAfter(coordinator, heuristicDifference);
    }

    private void open(FaultyBank faulty) {
        Map<String, BankAdapter> banks = new LinkedHashMap<>(cluster.banks());
        banks.put(faulty.bankId(), faulty);
        coordinator = EmbeddedCoordinator.open(
                CoordinatorOptions.defaults().withPhaseTwoRetry(1, 2, 3), banks, storage.open());
    }

    /** t1 moves 30 from a1 to b1 and commits, while B refuses the commit until phase two gives up. */
    private FaultyBank committedWithBInDoubt() throws Exception {
        FaultyBank broken = new FaultyBank(cluster.bank("B")).failingCommits(1_000);
        open(broken);
        Submission submission = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));
        assertThat(submission.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.committed("t1"));
        Completions.awaitPhaseTwoGivenUp(submission);
        return broken;
    }

    /** t1 tries to move 200 from b1, which holds 100: B votes no, A prepared the credit and refuses its rollback. */
    private FaultyBank abortedWithAInDoubt() throws Exception {
        FaultyBank broken = new FaultyBank(cluster.bank("A")).failingRollbacks(1_000);
        open(broken);
        Submission submission = coordinator.submit(Transaction.transfer("t1", "b1", "a1", 200));
        assertThat(submission.outcome().get(10, TimeUnit.SECONDS))
                .isEqualTo(Outcome.aborted("t1", Reason.INSUFFICIENT_FUNDS));
        Completions.awaitPhaseTwoGivenUp(submission);
        return broken;
    }

    private ManualSettlementResult settle(String clientId, String bankId, BranchOutcome outcome, boolean forced) {
        return coordinator.settleInDoubt(new ManualSettlementRequest(clientId, bankId, outcome, forced));
    }

    @Test
    void commitsABranchInDoubtByHandOnceAndRecoveryForgetsIt() throws Exception {
        FaultyBank broken = committedWithBInDoubt();
        broken.failingCommits(0);
        int commitsBefore = broken.commitCalls();

        ManualSettlementResult settled = settle("t1", "B", BranchOutcome.COMMIT, false);
        ManualSettlementResult again = settle("t1", "B", BranchOutcome.COMMIT, false);

        assertThat(settled).isInstanceOfSatisfying(ManualSettlementResult.Settled.class, result -> {
            assertThat(result.heuristic()).isFalse();
            assertThat(result.decided()).isEqualTo(BranchOutcome.COMMIT);
        });
        assertThat(again).isInstanceOf(ManualSettlementResult.NotInDoubt.class);
        assertThat(broken.commitCalls()).isEqualTo(commitsBefore + 1);
        assertThat(coordinator.inDoubtTransactions()).isEmpty();
        assertThat(coordinator.recoverInDoubt()).isEqualTo(InDoubtReport.NOTHING);
        assertThat(cluster.posted("b1")).isEqualTo(130);
    }

    @Test
    void refusesACommitWhereTheLogDecidedRollbackAndSendsNothing() throws Exception {
        FaultyBank broken = abortedWithAInDoubt();
        broken.failingRollbacks(0);
        int commitsBefore = broken.commitCalls();

        ManualSettlementResult refused = settle("t1", "A", BranchOutcome.COMMIT, false);

        assertThat(refused).isEqualTo(new ManualSettlementResult.ContradictsDecision(BranchOutcome.ROLLBACK));
        assertThat(broken.commitCalls()).isEqualTo(commitsBefore);
        assertThat(cluster.bank("A").recover()).hasSize(1);
        assertThat(coordinator.inDoubtBranches()).isEqualTo(1);
        assertThat(settle("t1", "A", BranchOutcome.ROLLBACK, false)).isInstanceOf(ManualSettlementResult.Settled.class);
        assertThat(cluster.posted("a1")).isEqualTo(100);
    }

    @Test
    void aForcedRollbackOfACommitIsHeuristicAndLeavesTheDecisionAsItWas() throws Exception {
        FaultyBank broken = committedWithBInDoubt();
        broken.failingCommits(0);
        int commitsBefore = broken.commitCalls();

        ManualSettlementResult settled = settle("t1", "B", BranchOutcome.ROLLBACK, true);
        // A debited a1 at commit, and B never credits b1: the damage the heuristic decision did, on record.
        heuristicDifference = -30;

        assertThat(settled).isInstanceOfSatisfying(ManualSettlementResult.Settled.class, result -> {
            assertThat(result.heuristic()).isTrue();
            assertThat(result.decided()).isEqualTo(BranchOutcome.COMMIT);
        });
        assertThat(coordinator.outcome("t1")).contains(Outcome.committed("t1"));
        assertThat(storage.records())
                .anySatisfy(record -> assertThat(record).isInstanceOf(DecisionRecord.CommitDecision.class));
        assertThat(coordinator.recoverInDoubt()).isEqualTo(InDoubtReport.NOTHING);
        assertThat(broken.commitCalls()).isEqualTo(commitsBefore);
        assertThat(cluster.posted("b1")).isEqualTo(100);
        assertThat(cluster.posted("a1")).isEqualTo(70);
    }

    @Test
    void keepsTheBranchInDoubtWhileItsBankFails() throws Exception {
        FaultyBank broken = committedWithBInDoubt();

        ManualSettlementResult failed = settle("t1", "B", BranchOutcome.COMMIT, false);

        assertThat(failed).isInstanceOf(ManualSettlementResult.BankFailed.class);
        assertThat(coordinator.inDoubtBranches()).isEqualTo(1);
        broken.failingCommits(0);
        assertThat(coordinator.recoverInDoubt()).isEqualTo(new InDoubtReport(1, 0, 0, 0));
    }

    @Test
    void findsNothingInDoubtForAnotherIdOrBank() throws Exception {
        FaultyBank broken = committedWithBInDoubt();

        assertThat(settle("t2", "B", BranchOutcome.COMMIT, false))
                .isInstanceOf(ManualSettlementResult.NotInDoubt.class);
        assertThat(settle("t1", "A", BranchOutcome.COMMIT, false))
                .isInstanceOf(ManualSettlementResult.NotInDoubt.class);
        assertThat(settle("t1", "Z", BranchOutcome.COMMIT, false))
                .isInstanceOf(ManualSettlementResult.NotInDoubt.class);
        broken.failingCommits(0);
        assertThat(coordinator.recoverInDoubt()).isEqualTo(new InDoubtReport(1, 0, 0, 0));
    }
}
