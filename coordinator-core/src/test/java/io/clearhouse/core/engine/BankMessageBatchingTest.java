package io.clearhouse.core.engine;

import static io.clearhouse.core.engine.Completions.completion;
import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Submission;
import io.clearhouse.core.engine.HeldMessagesBank.HeldMessage;
import io.clearhouse.core.engine.HeldMessagesBank.Kind;
import io.clearhouse.core.log.DecisionLogStorage;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Branches bound for a bank that answers by message gather while a message of their kind is out, and go together in
 * the next one. Bank B holds its answers until the test gives them; bank A is in memory and answers inline.
 */
class BankMessageBatchingTest {
    private final BankCluster cluster = BankCluster.inMemory(BankCluster.twoBanks());
    private final HeldMessagesBank held = new HeldMessagesBank(cluster.bank("B"));
    private EmbeddedCoordinator coordinator;

    @AfterEach
    void closeAndCheckInvariants() {
        held.answerEverythingFromNowOn();
        cluster.closeAfter(coordinator);
    }

    private void open(CoordinatorOptions options) {
        Map<String, BankAdapter> banks = new LinkedHashMap<>(cluster.banks());
        banks.put("B", held);
        coordinator = EmbeddedCoordinator.open(options, banks, new DecisionLogStorage().open());
    }

    private List<Submission> submitTransfers(int from, int to) {
        List<Submission> submissions = new ArrayList<>();
        for (int i = from; i < to; i++) {
            submissions.add(coordinator.submit(Transaction.transfer("t" + i, "a1", "b1", 1)));
        }
        return submissions;
    }

    @Test
    void sendsThePreparesThatQueuedWhileAMessageWasOutAsOneMessage() throws Exception {
        open(CoordinatorOptions.defaults());
        Submission first = coordinator.submit(Transaction.transfer("t0", "a1", "b1", 1));
        HeldMessage<?> firstPrepare = held.next(Kind.PREPARE);
        List<Submission> queued = submitTransfers(1, 51);

        firstPrepare.deliver();
        HeldMessage<?> firstCommit = held.next(Kind.COMMIT);
        HeldMessage<?> secondPrepare = held.next(Kind.PREPARE);
        assertThat(secondPrepare.xids()).hasSize(50);
        secondPrepare.deliver();
        for (Submission submission : queued) {
            assertThat(submission.outcome().get(10, TimeUnit.SECONDS).isCommitted())
                    .isTrue();
        }
        // A transaction's reply goes out just before its commit is offered, so commits may still be arriving.
        firstCommit.deliver();
        held.answerEverythingFromNowOn();

        assertThat(completion(first)).isEqualTo(Outcome.committed("t0"));
        for (Submission submission : queued) {
            assertThat(completion(submission).isCommitted()).isTrue();
        }
        assertThat(held.sizes(Kind.PREPARE)).containsExactly(1, 50);
        assertThat(held.sizes(Kind.COMMIT).get(0)).isEqualTo(1);
        assertThat(held.sizes(Kind.COMMIT).stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(51);
        assertThat(coordinator.counters().messages())
                .as("51 prepares and 51 commits to A one by one, two prepare messages and the commit messages to B")
                .isEqualTo(104 + held.sizes(Kind.COMMIT).size());
        assertThat(coordinator.counters().branches()).isEqualTo(204);
        assertThat(cluster.posted("b1")).isEqualTo(151);
    }

    @Test
    void abortsEveryTransferOfAFailedPrepareMessageWithBankUnavailable() throws Exception {
        open(CoordinatorOptions.defaults());
        Submission first = coordinator.submit(Transaction.transfer("t0", "a1", "b1", 1));
        HeldMessage<?> firstPrepare = held.next(Kind.PREPARE);
        List<Submission> queued = submitTransfers(1, 11);

        firstPrepare.fail();
        HeldMessage<?> secondPrepare = held.next(Kind.PREPARE);
        assertThat(secondPrepare.xids()).hasSize(10);
        secondPrepare.fail();
        held.answerEverythingFromNowOn();

        assertThat(completion(first)).isEqualTo(Outcome.aborted("t0", Reason.BANK_UNAVAILABLE));
        for (int i = 0; i < queued.size(); i++) {
            assertThat(completion(queued.get(i))).isEqualTo(Outcome.aborted("t" + (i + 1), Reason.BANK_UNAVAILABLE));
        }
        assertThat(cluster.posted("a1")).isEqualTo(100);
        assertThat(held.sent(Kind.ROLLBACK).stream().mapToInt(List::size).sum())
                .as("every branch of a failed message may be prepared, so each is rolled back")
                .isEqualTo(11);
    }

    @Test
    void resendsEveryBranchOfAFailedCommitMessage() throws Exception {
        open(CoordinatorOptions.defaults().withPhaseTwoRetry(1, 5, 10));
        Submission first = coordinator.submit(Transaction.transfer("t0", "a1", "b1", 1));
        HeldMessage<?> firstPrepare = held.next(Kind.PREPARE);
        List<Submission> queued = submitTransfers(1, 6);
        firstPrepare.deliver();
        HeldMessage<?> firstCommit = held.next(Kind.COMMIT);
        HeldMessage<?> secondPrepare = held.next(Kind.PREPARE);
        secondPrepare.deliver();
        for (Submission submission : queued) {
            submission.outcome().get(10, TimeUnit.SECONDS);
        }

        firstCommit.fail();
        HeldMessage<?> secondCommit = held.next(Kind.COMMIT);
        assertThat(secondCommit.xids()).isNotEmpty().doesNotContainAnyElementsOf(firstCommit.xids());
        secondCommit.fail();
        held.answerEverythingFromNowOn();

        assertThat(completion(first)).isEqualTo(Outcome.committed("t0"));
        for (Submission submission : queued) {
            assertThat(completion(submission).isCommitted()).isTrue();
        }
        List<Xid> resent = held
                .sent(Kind.COMMIT)
                .subList(2, held.sent(Kind.COMMIT).size())
                .stream()
                .flatMap(List::stream)
                .toList();
        assertThat(resent).containsAll(firstCommit.xids()).containsAll(secondCommit.xids());
        assertThat(cluster.posted("b1")).isEqualTo(106);
    }

    @Test
    void sendsNoMessageOfMoreBranchesThanTheBound() throws Exception {
        open(CoordinatorOptions.defaults().withBankMessageBranchesMax(16));
        coordinator.submit(Transaction.transfer("t0", "a1", "b1", 1));
        HeldMessage<?> firstPrepare = held.next(Kind.PREPARE);
        List<Submission> queued = submitTransfers(1, 51);

        firstPrepare.deliver();
        for (int message = 0; message < 4; message++) {
            held.next(Kind.PREPARE).deliver();
        }
        held.answerEverythingFromNowOn();
        for (Submission submission : queued) {
            assertThat(completion(submission).isCommitted()).isTrue();
        }

        assertThat(held.sizes(Kind.PREPARE)).containsExactly(1, 16, 16, 16, 2);
    }

    @Test
    void dropsFromAMessageTheBranchesWhoseTransactionTimedOutWhileTheyQueued() throws Exception {
        open(CoordinatorOptions.defaults().withPrepareTimeoutMillis(200));
        Submission first = coordinator.submit(Transaction.transfer("t0", "a1", "b1", 1));
        HeldMessage<?> firstPrepare = held.next(Kind.PREPARE);
        List<Submission> queued = submitTransfers(1, 6);
        for (int i = 0; i < queued.size(); i++) {
            assertThat(queued.get(i).outcome().get(10, TimeUnit.SECONDS))
                    .isEqualTo(Outcome.aborted("t" + (i + 1), Reason.TIMEOUT));
        }

        firstPrepare.deliver();
        held.answerEverythingFromNowOn();
        Outcome later = completion(coordinator.submit(Transaction.transfer("t6", "a1", "b1", 1)));

        assertThat(completion(first)).isEqualTo(Outcome.aborted("t0", Reason.TIMEOUT));
        assertThat(later).isEqualTo(Outcome.committed("t6"));
        assertThat(held.sizes(Kind.PREPARE))
                .as("the queued prepares of t1..t5 never left; t6 went alone")
                .containsExactly(1, 1);
        assertThat(cluster.posted("b1")).isEqualTo(101);
    }

    @Test
    void gathersBranchesThatArriveWithinTheLingerWhileTheBankIsIdle() throws Exception {
        open(CoordinatorOptions.defaults().withBankMessageLingerMillis(60_000).withBankMessageBranchesMax(8));
        List<Submission> submissions = submitTransfers(0, 8);
        held.answerEverythingFromNowOn();

        for (Submission submission : submissions) {
            assertThat(completion(submission).isCommitted()).isTrue();
        }
        assertThat(held.sizes(Kind.PREPARE))
                .as("the eighth branch fills the message, which then leaves without waiting out the linger")
                .containsExactly(8);
    }

    @Test
    void givesUpTheSlotOfAPrepareMessageThatIsNeverAnsweredAfterTwiceThePrepareTimeout() throws Exception {
        open(CoordinatorOptions.defaults().withPrepareTimeoutMillis(100));
        Submission lost = coordinator.submit(Transaction.transfer("t0", "a1", "b1", 1));
        held.next(Kind.PREPARE);
        Submission queuedBehindIt = coordinator.submit(Transaction.transfer("t1", "a1", "b1", 1));
        assertThat(queuedBehindIt.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.aborted("t1", Reason.TIMEOUT));
        // Submitted after t1's deadline, so its own deadline falls after the lost message gives up its slot.
        Submission later = coordinator.submit(Transaction.transfer("t2", "a1", "b1", 1));

        HeldMessage<?> next = held.next(Kind.PREPARE);
        held.answerEverythingFromNowOn();

        assertThat(next.xids()).extracting(Xid::transactionId).containsExactly("1.3");
        assertThat(completion(lost)).isEqualTo(Outcome.aborted("t0", Reason.TIMEOUT));
        completion(later);
    }

    @Test
    void closeWaitsForThePhaseTwoOfATransactionACallbackStarted() throws Exception {
        open(CoordinatorOptions.defaults());
        Submission first = coordinator.submit(Transaction.transfer("t0", "a1", "b1", 1));
        CompletableFuture<Submission> chained = new CompletableFuture<>();
        // Runs on an engine thread, where a submission takes no in-flight permit that close() could wait for.
        first.outcome()
                .thenAccept(outcome -> chained.complete(coordinator.submit(Transaction.transfer("t1", "a1", "b1", 1))));
        held.next(Kind.PREPARE).deliver();
        held.next(Kind.COMMIT).deliver();
        assertThat(completion(first)).isEqualTo(Outcome.committed("t0"));
        held.next(Kind.PREPARE).deliver();
        HeldMessage<?> chainedCommit = held.next(Kind.COMMIT);
        Thread closer = new Thread(coordinator::close);
        closer.start();

        closer.join(300);
        assertThat(closer.isAlive())
                .as("close() while t1's commit is unanswered")
                .isTrue();
        chainedCommit.deliver();
        closer.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(closer.isAlive()).isFalse();
        assertThat(completion(chained.get(10, TimeUnit.SECONDS))).isEqualTo(Outcome.committed("t1"));
        assertThat(cluster.bank("B").recover()).isEmpty();
    }
}
