package io.clearhouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Submission;
import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionLogStorage;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.log.GlobalIds;
import io.clearhouse.core.recovery.InDoubtReport;
import io.clearhouse.core.recovery.RecoveryReport;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.ForwardingBank;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EmbeddedCoordinator#recoverInDoubt()}: what phase two gave up on is resolved while the coordinator runs,
 * and a branch of a transaction in flight is never touched. The invariants (money conserved, nothing held, no branch
 * prepared) are checked after every test.
 */
class RecoveryWhileRunningTest {
    private final BankCluster cluster = BankCluster.inMemory(BankCluster.twoBanks());
    private EmbeddedCoordinator coordinator;

    @AfterEach
    void closeAndCheckInvariants() {
        cluster.closeAfter(coordinator);
    }

    private void open(FaultyBank faulty) {
        Map<String, BankAdapter> banks = new LinkedHashMap<>(cluster.banks());
        banks.put(faulty.bankId(), faulty);
        coordinator = EmbeddedCoordinator.open(
                CoordinatorOptions.defaults().withPhaseTwoRetry(1, 2, 3), banks, new DecisionLogStorage().open());
    }

    @Test
    void commitsAnAbandonedBranchOnceTheBankAnswersAgain() throws Exception {
        FaultyBank broken = new FaultyBank(cluster.bank("B")).failingCommits(1_000);
        open(broken);
        Submission submission = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));
        assertThat(submission.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.committed("t1"));
        Completions.awaitPhaseTwoGivenUp(submission);
        assertThat(coordinator.inDoubtBranches()).isEqualTo(1);
        assertThat(coordinator.inDoubtTransactions()).singleElement().satisfies(inDoubt -> {
            assertThat(inDoubt.clientId()).isEqualTo("t1");
            assertThat(inDoubt.commit()).isTrue();
            assertThat(inDoubt.branches()).singleElement().satisfies(xid -> {
                assertThat(xid.bankId()).isEqualTo("B");
                assertThat(xid.transactionId()).isEqualTo(inDoubt.globalId());
            });
        });

        InDoubtReport whileBroken = coordinator.recoverInDoubt();
        assertThat(coordinator.inDoubtTransactions())
                .as("still in doubt while B fails")
                .hasSize(1);
        broken.failingCommits(0);
        InDoubtReport healed = coordinator.recoverInDoubt();
        InDoubtReport nothingLeft = coordinator.recoverInDoubt();

        assertThat(whileBroken.stillInDoubt()).isEqualTo(1);
        assertThat(healed).isEqualTo(new InDoubtReport(1, 0, 0, 0));
        assertThat(nothingLeft).isEqualTo(InDoubtReport.NOTHING);
        assertThat(coordinator.inDoubtBranches()).isZero();
        assertThat(coordinator.inDoubtTransactions()).isEmpty();
        assertThat(cluster.posted("a1")).isEqualTo(70);
        assertThat(cluster.posted("b1")).isEqualTo(130);
    }

    @Test
    void rollsBackAnAbandonedBranchOfAnAbortedTransaction() throws Exception {
        FaultyBank broken = new FaultyBank(cluster.bank("A")).failingRollbacks(1_000);
        open(broken);
        // b1 holds 100: B refuses the debit of 200, while A votes COMMIT for the credit and must then roll it back.
        Submission submission = coordinator.submit(Transaction.transfer("t1", "b1", "a1", 200));
        assertThat(submission.outcome().get(10, TimeUnit.SECONDS))
                .isEqualTo(Outcome.aborted("t1", Reason.INSUFFICIENT_FUNDS));
        Completions.awaitPhaseTwoGivenUp(submission);
        assertThat(coordinator.inDoubtBranches()).isEqualTo(1);
        assertThat(cluster.bank("A").recover()).hasSize(1);

        broken.failingRollbacks(0);
        InDoubtReport report = coordinator.recoverInDoubt();

        assertThat(report).isEqualTo(new InDoubtReport(0, 1, 0, 0));
        assertThat(cluster.bank("A").recover()).isEmpty();
        assertThat(cluster.posted("a1")).isEqualTo(100);
    }

    @Test
    void leavesABranchOfATransactionInFlightAlone() throws Exception {
        FaultyBank slow = new FaultyBank(cluster.bank("B")).holdingPrepares();
        open(slow);
        Submission submission = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));
        // A's branch is prepared once its bank answers; B's prepare is held, so the transaction is in flight.
        while (cluster.bank("A").recover().isEmpty()) {
            Thread.onSpinWait();
        }

        InDoubtReport report = coordinator.recoverInDoubt();
        slow.releasePrepares();

        assertThat(report).isEqualTo(new InDoubtReport(0, 0, 1, 0));
        assertThat(submission.completion().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.committed("t1"));
        assertThat(cluster.posted("a1")).isEqualTo(70);
        assertThat(cluster.posted("b1")).isEqualTo(130);
    }

    @Test
    void passesDuringConcurrentTransfersResolveNothingAndBreakNothing() throws Exception {
        FaultyBank healthy = new FaultyBank(cluster.bank("B"));
        open(healthy);
        List<String> accounts = List.of("a1", "b1", "a2", "b2");
        ConcurrentLinkedQueue<Submission> submissions = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < 4; client++) {
            int offset = client;
            Thread thread = new Thread(() -> {
                for (int n = 0; n < 500; n++) {
                    String from = accounts.get((offset + n) % 4);
                    String to = accounts.get((offset + n + 1) % 4);
                    submissions.add(coordinator.submit(Transaction.transfer("c" + offset + "-" + n, from, to, 1)));
                }
            });
            thread.start();
            clients.add(thread);
        }
        AtomicBoolean loading = new AtomicBoolean(true);
        List<InDoubtReport> reports = new ArrayList<>();
        Thread recovery = new Thread(() -> {
            while (loading.get()) {
                reports.add(coordinator.recoverInDoubt());
            }
        });
        recovery.start();
        for (Thread client : clients) {
            client.join();
        }
        for (Submission submission : submissions) {
            submission.completion().get(10, TimeUnit.SECONDS);
        }
        loading.set(false);
        recovery.join();

        assertThat(reports).isNotEmpty().allSatisfy(report -> {
            assertThat(report.committed()).isZero();
            assertThat(report.rolledBack()).isZero();
            assertThat(report.stillInDoubt()).isZero();
        });
        assertThat(coordinator.counters().transactions()).isEqualTo(2_000);
    }

    /**
     * The cluster's banks, bank B acknowledging its first commit without making it, as by a restart before its log
     * was forced.
     */
    private Map<String, BankAdapter> losingFirstCommitAtB() {
        AtomicBoolean lostOne = new AtomicBoolean();
        Map<String, BankAdapter> banks = new LinkedHashMap<>(cluster.banks());
        banks.put("B", new ForwardingBank(cluster.bank("B")) {
            @Override
            public void commit(Xid xid) {
                if (lostOne.compareAndSet(false, true)) {
                    return;
                }
                super.commit(xid);
            }
        });
        return banks;
    }

    /**
     * A bank may acknowledge a commit it has not yet made durable (the memory bank writes commits lazily), and a bank
     * that restarts on its own, as a remote one can, then holds the branch prepared again although the transaction,
     * of this very incarnation, committed and is over. Its decision is in the log, so the pass commits the branch.
     */
    @Test
    void commitsAPreparedBranchOfACommittedTransactionOfThisIncarnation() throws Exception {
        coordinator = EmbeddedCoordinator.open(
                CoordinatorOptions.defaults(), losingFirstCommitAtB(), new DecisionLogStorage().open());
        Submission submission = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));
        assertThat(submission.completion().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.committed("t1"));
        assertThat(cluster.bank("B").recover()).hasSize(1);

        InDoubtReport report = coordinator.recoverInDoubt();

        assertThat(report).isEqualTo(new InDoubtReport(1, 0, 0, 0));
        assertThat(cluster.bank("B").recover()).isEmpty();
        assertThat(cluster.posted("a1")).isEqualTo(70);
        assertThat(cluster.posted("b1")).isEqualTo(130);
    }

    /**
     * In a cluster, a coordinator deposed without knowing it yet may recover while a newer leader, of a later
     * incarnation, prepares its transactions at the same banks. Rolling such a branch back because this log holds no
     * decision for it (yet) would undo a branch the newer leader is about to commit, so neither the recovery at open
     * nor a pass touches it.
     */
    @Test
    void leavesAPreparedBranchOfALaterIncarnationAlone() {
        Xid newerLeaders = new Xid(GlobalIds.prefixOf(1_000) + 1, "A");
        assertThat(cluster.bank("A").prepare(newerLeaders, List.of(new Posting("a1", -10))))
                .isEqualTo(Vote.COMMIT);

        coordinator = EmbeddedCoordinator.open(
                CoordinatorOptions.defaults(), cluster.banks(), new DecisionLogStorage().open());
        InDoubtReport pass = coordinator.recoverInDoubt();

        assertThat(coordinator.recoveryReport()).isEqualTo(new RecoveryReport(0, 0, 0));
        assertThat(pass).isEqualTo(new InDoubtReport(0, 0, 1, 0));
        assertThat(cluster.bank("A").recover()).containsExactly(newerLeaders);
        // The newer leader finishes it, here with a rollback, so the invariants hold at the end.
        cluster.bank("A").rollback(newerLeaders);
    }

    /**
     * A log that cannot say whether a branch's transaction committed (PostgreSQL out of reach, or a file log whose
     * write failed and may have reached the disk) must not be read as "no decision": the branch stays prepared, the
     * pass goes on and counts it in doubt, and a later pass that reads the log commits it.
     */
    @Test
    void leavesABranchInDoubtWhileTheLogCannotTellItsDecision() throws Exception {
        AtomicBoolean logUnreadable = new AtomicBoolean();
        DecisionLog log = new ForwardingDecisionLog(new DecisionLogStorage().open()) {
            @Override
            public Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId) {
                if (logUnreadable.get()) {
                    throw new DecisionLogException("the log cannot be read");
                }
                return super.commitDecisionOf(globalId);
            }
        };
        coordinator = EmbeddedCoordinator.open(CoordinatorOptions.defaults(), losingFirstCommitAtB(), log);
        Submission submission = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));
        assertThat(submission.completion().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.committed("t1"));

        logUnreadable.set(true);
        InDoubtReport blind = coordinator.recoverInDoubt();
        assertThat(blind).isEqualTo(new InDoubtReport(0, 0, 0, 1));
        assertThat(cluster.bank("B").recover()).hasSize(1);

        logUnreadable.set(false);
        InDoubtReport seeing = coordinator.recoverInDoubt();
        assertThat(seeing).isEqualTo(new InDoubtReport(1, 0, 0, 0));
        assertThat(cluster.posted("a1")).isEqualTo(70);
        assertThat(cluster.posted("b1")).isEqualTo(130);
    }

    /**
     * A decision whose write was reported failed but reached the log (a database commit whose answer was lost): the
     * client heard that the outcome is unknown; a retry of the id, and a lookup, answer the recorded commit from the
     * log instead of repeating the failure, without running the transfer again, and the pass applies it once.
     */
    @Test
    void answersARetryFromTheLogWhenAFailedDecisionWriteReachedItAfterAll() throws Exception {
        CrashingDecisionLog log = new CrashingDecisionLog(
                new DecisionLogStorage().open(), CrashingDecisionLog.CrashPoint.DECISION_WRITTEN_BUT_REPORTED_FAILED);
        coordinator = EmbeddedCoordinator.open(CoordinatorOptions.defaults(), cluster.banks(), log);
        Transaction transfer = Transaction.transfer("t1", "a1", "b1", 30);
        assertThat(coordinator.submit(transfer).outcome())
                .failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(DecisionLogException.class);

        Submission retry = coordinator.submit(transfer);

        assertThat(retry.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.committed("t1"));
        assertThat(coordinator.outcome("t1")).contains(Outcome.committed("t1"));
        assertThat(coordinator
                        .submit(Transaction.transfer("t1", "a1", "b1", 31))
                        .outcome()
                        .join())
                .isEqualTo(Outcome.aborted("t1", Reason.DUPLICATE_ID));
        assertThat(cluster.bank("A").recover()).hasSize(1);
        assertThat(coordinator.recoverInDoubt()).isEqualTo(new InDoubtReport(2, 0, 0, 0));
        assertThat(cluster.posted("a1")).isEqualTo(70);
        assertThat(cluster.posted("b1")).isEqualTo(130);
    }

    /** While the log holds no decision for it, a retry of a failed attempt gets its failure again, never a new run. */
    @Test
    void repeatsTheFailureToARetryWhileTheLogHoldsNoDecision() throws Exception {
        CrashingDecisionLog log = new CrashingDecisionLog(
                new DecisionLogStorage().open(), CrashingDecisionLog.CrashPoint.DECISION_WRITE_FAILS);
        coordinator = EmbeddedCoordinator.open(CoordinatorOptions.defaults(), cluster.banks(), log);
        Transaction transfer = Transaction.transfer("t1", "a1", "b1", 30);
        coordinator.submit(transfer);

        Submission retry = coordinator.submit(transfer);

        assertThat(retry.outcome())
                .failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(DecisionLogException.class);
        assertThat(coordinator.outcome("t1")).isEmpty();
        assertThat(coordinator.recoverInDoubt()).isEqualTo(new InDoubtReport(0, 2, 0, 0));
        assertThat(cluster.posted("a1")).isEqualTo(100);
        assertThat(cluster.posted("b1")).isEqualTo(100);
    }
}
