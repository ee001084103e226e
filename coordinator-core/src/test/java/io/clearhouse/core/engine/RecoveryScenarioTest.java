package io.clearhouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Submission;
import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.log.FileDecisionLog;
import io.clearhouse.journal.JournalOptions;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash stories with durable memory banks and the file decision log: the coordinator stops at a point of the
 * commit path, every component is closed and opened again from disk, and recovery must finish what was decided and
 * roll back what was not.
 */
class RecoveryScenarioTest {
    /** A crashed coordinator's close must not wait long for the transaction it left hanging. */
    private static final CoordinatorOptions OPTIONS =
            CoordinatorOptions.defaults().withCloseTimeoutMillis(50);

    @TempDir
    Path directory;

    private BankCluster cluster;
    private EmbeddedCoordinator coordinator;

    @BeforeEach
    void openBanks() {
        cluster = BankCluster.durable(BankCluster.twoBanks(), directory);
    }

    @AfterEach
    void closeEverything() {
        if (coordinator != null) {
            coordinator.close();
        }
        cluster.close();
    }

    private DecisionLog openLog() {
        return FileDecisionLog.open(directory.resolve("decisions.log"), JournalOptions.defaults());
    }

    private EmbeddedCoordinator openCoordinator(DecisionLog log) {
        coordinator = EmbeddedCoordinator.open(OPTIONS, cluster.banks(), log);
        return coordinator;
    }

    /** Stops the coordinator where the crashing log halted it, then reopens banks and coordinator from disk. */
    private void crashAndRestart(CrashingDecisionLog crashing) throws Exception {
        crashing.reached().get(10, TimeUnit.SECONDS);
        EmbeddedCoordinator crashed = coordinator;
        coordinator = null;
        crashed.close();
        cluster.restart();
        openCoordinator(openLog());
    }

    @Test
    void rollsBackPreparedBranchesWhenTheCoordinatorCrashedBeforeTheDecision() throws Exception {
        CrashingDecisionLog crashing =
                new CrashingDecisionLog(openLog(), CrashingDecisionLog.CrashPoint.BEFORE_DECISION);
        openCoordinator(crashing);
        coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));

        crashAndRestart(crashing);

        assertThat(coordinator.recoveryReport().rolledBackBranches()).isEqualTo(2);
        assertThat(coordinator.outcome("t1")).isEmpty();
        assertThat(cluster.posted("a1")).isEqualTo(100);
        cluster.assertInvariants();
    }

    @Test
    void commitsAtRecoveryWhenTheCoordinatorCrashedAfterTheDecision() throws Exception {
        CrashingDecisionLog crashing =
                new CrashingDecisionLog(openLog(), CrashingDecisionLog.CrashPoint.AFTER_DECISION);
        openCoordinator(crashing);
        Submission submission = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));

        crashAndRestart(crashing);

        assertThat(submission.outcome()).as("the client was never answered").isNotDone();
        assertThat(coordinator.recoveryReport().committedBranches()).isEqualTo(2);
        assertThat(coordinator.outcome("t1")).contains(Outcome.committed("t1"));
        assertThat(cluster.posted("a1")).isEqualTo(70);
        assertThat(cluster.posted("b1")).isEqualTo(130);
        cluster.assertInvariants();
    }

    /**
     * A completion says every bank acknowledged its commit, not that every bank made it durable: a bank may hold the
     * branch prepared after a crash, while a log that replays only unfinished decisions (as the PostgreSQL one does)
     * does not replay its decision. Recovery must find it by the branch's global id, or roll back half a transfer.
     */
    @Test
    void commitsABranchOfACompletedDecisionThatTheLogDoesNotReplay() throws Exception {
        List<Posting> postings = Transaction.transfer("t1", "a1", "b1", 30).postings();
        Xid debit = new Xid("1.1", "A");
        Xid credit = new Xid("1.1", "B");
        assertThat(cluster.bank("A").prepare(debit, List.of(postings.get(0)))).isEqualTo(Vote.COMMIT);
        assertThat(cluster.bank("B").prepare(credit, List.of(postings.get(1)))).isEqualTo(Vote.COMMIT);
        try (DecisionLog log = openLog()) {
            log.appendDurably(new DecisionRecord.CommitDecision("1.1", "t1", postings, List.of("A", "B")))
                    .get(10, TimeUnit.SECONDS);
            cluster.bank("A").commit(debit);
            log.appendLazily(new DecisionRecord.Completion("1.1"));
        }
        cluster.restart();

        openCoordinator(new ForwardingDecisionLog(openLog()) {
            @Override
            public List<DecisionRecord> recoveredRecords() {
                return super.recoveredRecords().stream()
                        .filter(record -> !(record instanceof DecisionRecord.CommitDecision commit)
                                || !commit.globalId().equals("1.1"))
                        .toList();
            }
        });

        assertThat(coordinator.recoveryReport().committedBranches()).isEqualTo(1);
        assertThat(cluster.posted("a1")).isEqualTo(70);
        assertThat(cluster.posted("b1")).isEqualTo(130);
        cluster.assertInvariants();
    }

    @Test
    void tellsTheClientWhenTheDecisionCannotBeWrittenAndRollsBackAtTheNextOpen() throws Exception {
        CrashingDecisionLog failing =
                new CrashingDecisionLog(openLog(), CrashingDecisionLog.CrashPoint.DECISION_WRITE_FAILS);
        openCoordinator(failing);

        Submission submission = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));

        assertThat(submission.outcome())
                .failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(DecisionLogException.class);
        crashAndRestart(failing);
        assertThat(coordinator.recoveryReport().rolledBackBranches()).isEqualTo(2);
        assertThat(cluster.posted("a1")).isEqualTo(100);
        cluster.assertInvariants();
    }

    @Test
    void aRetryAfterACrashBeforeTheDecisionRunsAsANewAttemptAndAppliesOnce() throws Exception {
        CrashingDecisionLog crashing =
                new CrashingDecisionLog(openLog(), CrashingDecisionLog.CrashPoint.BEFORE_DECISION);
        openCoordinator(crashing);
        coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));
        crashAndRestart(crashing);

        Submission retry = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));

        assertThat(retry.completion().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.committed("t1"));
        assertThat(cluster.posted("a1")).isEqualTo(70);
        cluster.assertInvariants();
    }

    @Test
    void outcomesSurviveARestartAndAnswerRetriesWithoutContactingBanks() throws Exception {
        openCoordinator(openLog());
        coordinator
                .submit(Transaction.transfer("t1", "a1", "b1", 30))
                .completion()
                .get(10, TimeUnit.SECONDS);
        coordinator
                .submit(Transaction.transfer("t2", "a2", "b2", 500))
                .completion()
                .get(10, TimeUnit.SECONDS);
        coordinator.close();
        cluster.restart();
        openCoordinator(openLog());

        Submission committed = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));
        Submission aborted = coordinator.submit(Transaction.transfer("t2", "a2", "b2", 500));
        Submission duplicate = coordinator.submit(Transaction.transfer("t1", "a1", "b2", 30));

        assertThat(committed.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.committed("t1"));
        assertThat(aborted.outcome().get(10, TimeUnit.SECONDS))
                .isEqualTo(Outcome.aborted("t2", Reason.INSUFFICIENT_FUNDS));
        assertThat(duplicate.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.aborted("t1", Reason.DUPLICATE_ID));
        assertThat(coordinator.counters().messages()).isZero();
        assertThat(cluster.posted("a1")).isEqualTo(70);
        cluster.assertInvariants();
    }

    @Test
    void rollsBackTheBranchesOneBankHoldsWithoutADecisionInOneMessage() throws Exception {
        for (int i = 1; i <= 3; i++) {
            cluster.bank("A").prepare(new Xid("0." + i, "A"), List.of(new Posting("a1", -10), new Posting("a2", 10)));
        }

        openCoordinator(openLog());

        assertThat(coordinator.recoveryReport().rolledBackBranches()).isEqualTo(3);
        assertThat(coordinator.counters().messages()).isEqualTo(1);
        assertThat(coordinator.counters().branches()).isEqualTo(3);
        cluster.assertInvariants();
    }

    @Test
    void keepsEveryOutcomeAndMovesMoneyExactlyOnceUnderConcurrentDurableClients() throws Exception {
        openCoordinator(openLog());
        List<String> accounts = List.of("a1", "a2", "b1", "b2");
        Map<String, Submission> submissions = new ConcurrentHashMap<>();
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < 8; client++) {
            int id = client;
            clients.add(new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    String from = accounts.get((id + i) % 4);
                    String to = accounts.get((id + 2 * i + 1) % 4);
                    String clientId = "c" + id + "-" + i;
                    Transaction transfer = from.equals(to)
                            ? Transaction.transfer(clientId, from, "nobody", 1)
                            : Transaction.transfer(clientId, from, to, 1 + (i % 9));
                    submissions.put(clientId, coordinator.submit(transfer));
                }
            }));
        }
        clients.forEach(Thread::start);
        for (Thread client : clients) {
            client.join();
        }
        Map<String, Outcome> outcomes = new HashMap<>();
        for (Map.Entry<String, Submission> entry : submissions.entrySet()) {
            outcomes.put(entry.getKey(), entry.getValue().completion().get(30, TimeUnit.SECONDS));
        }
        Map<String, Long> balances = new HashMap<>();
        accounts.forEach(account -> balances.put(account, cluster.posted(account)));
        cluster.assertInvariants();

        coordinator.close();
        cluster.restart();
        openCoordinator(openLog());

        outcomes.forEach((clientId, outcome) ->
                assertThat(coordinator.outcome(clientId)).as(clientId).contains(outcome));
        accounts.forEach(account -> assertThat(cluster.posted(account)).isEqualTo(balances.get(account)));
        assertThat(coordinator.recoveryReport().rolledBackBranches()).isZero();
        cluster.assertInvariants();
    }

    @Test
    void givesEachIncarnationItsOwnTransactionIds() throws Exception {
        openCoordinator(openLog());
        coordinator
                .submit(Transaction.transfer("t1", "a1", "b1", 1))
                .completion()
                .get(10, TimeUnit.SECONDS);
        coordinator.close();
        cluster.restart();
        DecisionLog log = openLog();
        openCoordinator(log);
        coordinator
                .submit(Transaction.transfer("t2", "a1", "b1", 1))
                .completion()
                .get(10, TimeUnit.SECONDS);
        coordinator.close();
        coordinator = null;

        DecisionLog reread = openLog();
        assertThat(reread.recoveredRecords())
                .filteredOn(record -> record instanceof DecisionRecord.CommitDecision)
                .extracting(record -> ((DecisionRecord.CommitDecision) record).globalId())
                .containsExactly("1.1", "2.1");
        reread.close();
        cluster.assertInvariants();
    }

    @Test
    void forcesTheDecisionAndTheBanksPreparesOnTheDurablePath() throws Exception {
        openCoordinator(openLog());
        long before = coordinator.counters().forcedWrites();

        coordinator
                .submit(Transaction.transfer("t1", "a1", "b1", 30))
                .completion()
                .get(10, TimeUnit.SECONDS);

        assertThat(coordinator.counters().forcedWrites() - before)
                .as("two prepares at the banks and one decision")
                .isEqualTo(3);
        cluster.assertInvariants();
    }
}
