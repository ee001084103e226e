package io.clearhouse.core.engine;

import static io.clearhouse.core.engine.Completions.completion;
import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Submission;
import io.clearhouse.core.log.DecisionLogStorage;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.ForwardingBank;
import io.clearhouse.spi.Vote;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol's paths, one story each, through the production runtime and real memory banks. */
class EmbeddedCoordinatorTest {
    private final BankCluster cluster = BankCluster.inMemory(BankCluster.twoBanks());
    private final DecisionLogStorage storage = new DecisionLogStorage();
    private EmbeddedCoordinator coordinator;

    @AfterEach
    void closeAndCheckInvariants() {
        cluster.closeAfter(coordinator);
    }

    private EmbeddedCoordinator open(Map<String, BankAdapter> banks, CoordinatorOptions options) {
        coordinator = EmbeddedCoordinator.open(options, banks, storage.open());
        return coordinator;
    }

    private EmbeddedCoordinator open() {
        return open(cluster.banks(), CoordinatorOptions.defaults());
    }

    @Test
    void commitsATransferAcrossTwoBanksWhenBothVoteCommit() throws Exception {
        open();
        Outcome outcome = completion(coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30)));

        assertThat(outcome).isEqualTo(Outcome.committed("t1"));
        assertThat(cluster.posted("a1")).isEqualTo(70);
        assertThat(cluster.posted("b1")).isEqualTo(130);
        assertThat(coordinator.counters().committed()).isEqualTo(1);
        assertThat(coordinator.counters().messages())
                .as("two prepares, two commits")
                .isEqualTo(4);
        assertThat(storage.records())
                .anySatisfy(record -> assertThat(record).isInstanceOf(DecisionRecord.CommitDecision.class));
    }

    @Test
    void countsAnAttemptInFlightUntilEveryBankAnsweredItsCommit() throws Exception {
        HeldMessagesBank held = new HeldMessagesBank(cluster.bank("B"));
        Map<String, BankAdapter> banks = new LinkedHashMap<>(cluster.banks());
        banks.put("B", held);
        open(banks, CoordinatorOptions.defaults());
        long begunBefore = coordinator.attemptsBegun();

        Submission submission = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));
        held.next(HeldMessagesBank.Kind.PREPARE).deliver();
        HeldMessagesBank.HeldMessage<?> commit = held.next(HeldMessagesBank.Kind.COMMIT);

        assertThat(submission.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.committed("t1"));
        assertThat(coordinator.attemptsBegun()).isEqualTo(begunBefore + 1);
        assertThat(coordinator.attemptsInFlight())
                .as("decided, but bank B has not answered its commit")
                .isEqualTo(1);
        commit.deliver();
        held.answerEverythingFromNowOn();
        completion(submission);
        assertThat(coordinator.attemptsBegun()).isEqualTo(begunBefore + 1);
    }

    @Test
    void abortsWhenABankVotesNoAndReleasesTheOtherBanksHold() throws Exception {
        open();
        Outcome outcome = completion(coordinator.submit(Transaction.transfer("t1", "a1", "b1", 101)));

        assertThat(outcome).isEqualTo(Outcome.aborted("t1", Reason.INSUFFICIENT_FUNDS));
        assertThat(cluster.posted("a1")).isEqualTo(100);
        assertThat(storage.records())
                .noneSatisfy(record -> assertThat(record).isInstanceOf(DecisionRecord.CommitDecision.class))
                .contains(new DecisionRecord.AbortOutcome(
                        "1.1",
                        "t1",
                        Reason.INSUFFICIENT_FUNDS,
                        List.of(new Posting("a1", -101), new Posting("b1", 101))));
    }

    @Test
    void abortsForInsufficientFundsWhateverOrderThePostingsAndVotesComeIn() throws Exception {
        try (BankCluster banks = BankCluster.inMemory(poorAndRich())) {
            open(banks.banks(), CoordinatorOptions.defaults());
            Transaction creditFirst = new Transaction("t1", List.of(new Posting("richB", 5), new Posting("poorA", -5)));

            assertThat(completion(coordinator.submit(creditFirst)))
                    .as("the overflowing bank is asked, and answers, first")
                    .isEqualTo(Outcome.aborted("t1", Reason.INSUFFICIENT_FUNDS));
            coordinator.close();
            banks.assertInvariants();
        }
    }

    @Test
    void abortsForInsufficientFundsEveryTimeOnDurableBanksThatVoteInParallel(@TempDir Path directory) throws Exception {
        try (BankCluster banks = BankCluster.durable(poorAndRich(), directory)) {
            open(banks.banks(), CoordinatorOptions.defaults());
            for (int i = 0; i < 50; i++) {
                // Both directions, so that either bank may be the first asked and the first to answer.
                Transaction transfer = i % 2 == 0
                        ? Transaction.transfer("t" + i, "poorA", "richB", 5)
                        : Transaction.transfer("t" + i, "poorB", "richA", 5);

                assertThat(completion(coordinator.submit(transfer)))
                        .isEqualTo(Outcome.aborted("t" + i, Reason.INSUFFICIENT_FUNDS));
            }
            coordinator.close();
            banks.assertInvariants();
            assertThat(banks.posted("richB")).isEqualTo(Long.MAX_VALUE);
            assertThat(storage.records())
                    .noneSatisfy(record -> assertThat(record).isInstanceOf(DecisionRecord.CommitDecision.class));
        }
    }

    /** Banks A and B, each with an empty account that cannot pay and a full one that cannot be paid. */
    private static Map<String, Map<String, Long>> poorAndRich() {
        Map<String, Map<String, Long>> balances = new LinkedHashMap<>();
        balances.put("A", Map.of("poorA", 0L, "richA", Long.MAX_VALUE));
        balances.put("B", Map.of("poorB", 0L, "richB", Long.MAX_VALUE));
        return balances;
    }

    @Test
    void abortsWithTimeoutWhenABankDoesNotVoteInTime() throws Exception {
        FaultyBank slow = new FaultyBank(cluster.bank("B")).holdingPrepares();
        open(banksWith(slow), CoordinatorOptions.defaults().withPrepareTimeoutMillis(100));

        Submission submission = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));
        assertThat(submission.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.aborted("t1", Reason.TIMEOUT));

        slow.firstRollback().get(10, TimeUnit.SECONDS);
        slow.releasePrepares();
        assertThat(slow.heldPrepare().get(10, TimeUnit.SECONDS))
                .as("the late prepare finds the rollback's tombstone")
                .isEqualTo(Vote.abort(Reason.TIMEOUT));
        assertThat(submission.completion().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.aborted("t1", Reason.TIMEOUT));
        assertThat(cluster.posted("a1")).isEqualTo(100);
    }

    @Test
    void abortsWithBankUnavailableWhenAPrepareThrows() throws Exception {
        FaultyBank unreachable = new FaultyBank(cluster.bank("B")).failingPrepares();
        open(banksWith(unreachable), CoordinatorOptions.defaults());

        Outcome outcome = completion(coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30)));

        assertThat(outcome).isEqualTo(Outcome.aborted("t1", Reason.BANK_UNAVAILABLE));
        assertThat(cluster.posted("a1")).isEqualTo(100);
    }

    @Test
    void commitsWhenAnAsynchronousVoteComesBackOnTheBanksOwnThread() throws Exception {
        AsyncVotingBank async = new AsyncVotingBank(cluster.bank("B"));
        open(banksWith(async), CoordinatorOptions.defaults());

        Submission submission = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));
        AsyncVotingBank.PendingVote vote = async.nextPrepare();
        assertThat(submission.outcome()).as("no outcome before the bank votes").isNotDone();
        Thread flusher = new Thread(vote::deliver, "bank-flusher");
        flusher.start();
        flusher.join(10_000);

        assertThat(completion(submission)).isEqualTo(Outcome.committed("t1"));
        assertThat(cluster.posted("a1")).isEqualTo(70);
        assertThat(cluster.posted("b1")).isEqualTo(130);
    }

    @Test
    void abortsWithBankUnavailableWhenAnAsynchronousPrepareFails() throws Exception {
        AsyncVotingBank async = new AsyncVotingBank(cluster.bank("B"));
        open(banksWith(async), CoordinatorOptions.defaults());

        Submission submission = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));
        async.nextPrepare().fail(new BankException("B", "log failed"));

        assertThat(completion(submission)).isEqualTo(Outcome.aborted("t1", Reason.BANK_UNAVAILABLE));
        assertThat(cluster.posted("a1")).isEqualTo(100);
    }

    @Test
    void abortsWithTimeoutWhenAnAsynchronousVoteComesTooLate() throws Exception {
        AsyncVotingBank async = new AsyncVotingBank(cluster.bank("B"));
        open(banksWith(async), CoordinatorOptions.defaults().withPrepareTimeoutMillis(100));

        Submission submission = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));
        AsyncVotingBank.PendingVote late = async.nextPrepare();
        assertThat(submission.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.aborted("t1", Reason.TIMEOUT));
        late.deliver();

        assertThat(submission.completion().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.aborted("t1", Reason.TIMEOUT));
        assertThat(cluster.posted("a1")).isEqualTo(100);
        assertThat(cluster.posted("b1")).isEqualTo(100);
    }

    @Test
    void commitsATransactionOnOneBankInOnePhase() throws Exception {
        open();
        Outcome outcome = completion(coordinator.submit(Transaction.transfer("t1", "a1", "a2", 40)));

        assertThat(outcome).isEqualTo(Outcome.committed("t1"));
        assertThat(cluster.posted("a2")).isEqualTo(140);
        assertThat(coordinator.counters().messages())
                .as("one prepare, one commit")
                .isEqualTo(2);
        assertThat(storage.records())
                .contains(new DecisionRecord.CommitDecision(
                        "1.1", "t1", List.of(new Posting("a1", -40), new Posting("a2", 40)), List.of("A")));
    }

    @Test
    void skipsPhaseTwoForAReadOnlyBank() throws Exception {
        FaultyBank idle = new FaultyBank(cluster.bank("B")).votingReadOnly();
        open(banksWith(idle), CoordinatorOptions.defaults());
        Transaction transaction = new Transaction(
                "t1",
                List.of(new Posting("a1", -5), new Posting("a2", 5), new Posting("b1", 1), new Posting("b2", -1)));

        Outcome outcome = completion(coordinator.submit(transaction));

        assertThat(outcome).isEqualTo(Outcome.committed("t1"));
        assertThat(idle.commitCalls()).isZero();
        assertThat(coordinator.counters().messages())
                .as("two prepares, one commit")
                .isEqualTo(3);
    }

    @Test
    void returnsTheFirstOutcomeForARetriedIdWithTheSamePostings() throws Exception {
        open();
        Outcome first = completion(coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30)));
        long messages = coordinator.counters().messages();

        Outcome again = completion(coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30)));

        assertThat(again).isEqualTo(first);
        assertThat(coordinator.counters().messages()).isEqualTo(messages);
        assertThat(cluster.posted("a1")).isEqualTo(70);
    }

    @Test
    void refusesARetriedIdWithOtherPostingsAndRecordsNothing() throws Exception {
        open();
        completion(coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30)));
        int records = storage.records().size();

        Outcome duplicate = completion(coordinator.submit(Transaction.transfer("t1", "a1", "b1", 31)));

        assertThat(duplicate).isEqualTo(Outcome.aborted("t1", Reason.DUPLICATE_ID));
        assertThat(storage.records()).hasSize(records);
        assertThat(coordinator.outcome("t1")).contains(Outcome.committed("t1"));
    }

    @Test
    void refusesAnUnknownAccountWithoutContactingAnyBank() throws Exception {
        open();
        Outcome outcome = completion(coordinator.submit(Transaction.transfer("t1", "a1", "nobody", 5)));

        assertThat(outcome).isEqualTo(Outcome.aborted("t1", Reason.UNKNOWN_ACCOUNT));
        assertThat(coordinator.counters().messages()).isZero();
    }

    @Test
    void refusesATransactionThatBreaksTheRules() throws Exception {
        open(cluster.banks(), CoordinatorOptions.defaults().withPostingsMax(3));
        Transaction unbalanced = new Transaction("t1", List.of(new Posting("a1", -5), new Posting("b1", 4)));
        Transaction tooMany = new Transaction(
                "t2", List.of(new Posting("a1", -3), new Posting("a2", 1), new Posting("b1", 1), new Posting("b2", 1)));

        assertThat(completion(coordinator.submit(unbalanced))).isEqualTo(Outcome.aborted("t1", Reason.UNBALANCED));
        assertThat(completion(coordinator.submit(tooMany))).isEqualTo(Outcome.aborted("t2", Reason.TOO_MANY_POSTINGS));
        assertThat(coordinator.counters().messages()).isZero();
    }

    @Test
    void refusesIdsOverTheLimitBeforeTheyReachTheDecisionLogOrABank() throws Exception {
        open(cluster.banks(), CoordinatorOptions.defaults().withIdLengthMax(256));
        int records = storage.records().size();
        String longId = "x".repeat(100_000);
        Transaction longAccount =
                new Transaction("t2", List.of(new Posting("a1", -5), new Posting("b".repeat(257), 5)));

        assertThat(completion(coordinator.submit(Transaction.transfer(longId, "a1", "b1", 5))))
                .isEqualTo(Outcome.aborted(longId, Reason.INVALID_FORMAT));
        assertThat(completion(coordinator.submit(longAccount))).isEqualTo(Outcome.aborted("t2", Reason.INVALID_FORMAT));
        assertThat(completion(coordinator.submit(Transaction.transfer("t\u00003", "a1", "b1", 5))))
                .isEqualTo(Outcome.aborted("t\u00003", Reason.INVALID_FORMAT));

        assertThat(storage.records()).hasSize(records);
        assertThat(coordinator.counters().messages()).isZero();
        assertThat(coordinator.outcome(longId)).as("the id is not claimed").isEmpty();
        assertThat(coordinator.recorded("t\u00003")).isEmpty();
        assertThat(cluster.posted("a1")).isEqualTo(100);
        assertThat(completion(coordinator.submit(Transaction.transfer("y".repeat(256), "a1", "b1", 5))))
                .isEqualTo(Outcome.committed("y".repeat(256)));
    }

    @Test
    void acceptsIdsOfTheDefaultLimitAndRefusesLongerOnesWhereTheLogWouldHaveFailed() throws Exception {
        open();
        String longest = "\u8d26".repeat(16_384);

        assertThat(completion(coordinator.submit(Transaction.transfer(longest, "a1", "b1", 5))))
                .isEqualTo(Outcome.committed(longest));
        assertThat(completion(coordinator.submit(Transaction.transfer(longest + "x", "a1", "b1", 5))))
                .isEqualTo(Outcome.aborted(longest + "x", Reason.INVALID_FORMAT));
        assertThat(cluster.posted("a1")).isEqualTo(95);
    }

    @Test
    void resendsAFailedCommitUntilTheBankAcknowledges() throws Exception {
        FaultyBank flaky = new FaultyBank(cluster.bank("B")).failingCommits(2);
        open(banksWith(flaky), CoordinatorOptions.defaults().withPhaseTwoRetry(1, 5, 10));

        Outcome outcome = completion(coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30)));

        assertThat(outcome).isEqualTo(Outcome.committed("t1"));
        assertThat(flaky.commitCalls()).isEqualTo(3);
        assertThat(coordinator.counters().messages()).isEqualTo(6);
        assertThat(cluster.posted("b1")).isEqualTo(130);
    }

    @Test
    void leavesABranchToRecoveryWhenCommitsKeepFailing() throws Exception {
        FaultyBank broken = new FaultyBank(cluster.bank("B")).failingCommits(1_000);
        open(banksWith(broken), CoordinatorOptions.defaults().withPhaseTwoRetry(1, 2, 3));

        Submission submission = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 30));

        assertThat(submission.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.committed("t1"));
        assertThat(submission.completion())
                .failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(PhaseTwoIncompleteException.class);
        assertThat(coordinator.abandonedBranches()).isEqualTo(1);

        coordinator.close();
        broken.failingCommits(0);
        coordinator = EmbeddedCoordinator.open(CoordinatorOptions.defaults(), banksWith(broken), storage.open());
        assertThat(coordinator.recoveryReport().committedBranches()).isEqualTo(1);
        assertThat(cluster.posted("b1")).isEqualTo(130);
    }

    @Test
    void movesMoneyCorrectlyUnderConcurrentClients() throws Exception {
        open();
        List<Thread> clients = new java.util.ArrayList<>();
        java.util.Queue<Submission> submissions = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int client = 0; client < 4; client++) {
            int id = client;
            clients.add(new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    String from = (i + id) % 2 == 0 ? "a1" : "b2";
                    String to = (i + id) % 3 == 0 ? "b1" : "a2";
                    submissions.add(coordinator.submit(Transaction.transfer("c" + id + "-" + i, from, to, 1 + i % 7)));
                }
            }));
        }
        clients.forEach(Thread::start);
        for (Thread client : clients) {
            client.join();
        }
        for (Submission submission : submissions) {
            submission.completion().get(10, TimeUnit.SECONDS);
        }
        assertThat(coordinator.counters().transactions()).isEqualTo(2_000);
    }

    private Map<String, BankAdapter> banksWith(ForwardingBank faulty) {
        Map<String, BankAdapter> banks = new LinkedHashMap<>(cluster.banks());
        banks.put(faulty.bankId(), faulty);
        return banks;
    }
}
