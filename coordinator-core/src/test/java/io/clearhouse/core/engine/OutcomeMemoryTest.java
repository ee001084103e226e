package io.clearhouse.core.engine;

import static io.clearhouse.core.engine.Completions.completion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.RecordedTransaction;
import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionLogStorage;
import io.clearhouse.core.log.DecisionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A coordinator that keeps only the most recent finished outcomes in memory answers older ids from the decision log,
 * exactly as if it remembered them: same outcome, nothing applied twice, another body refused.
 */
class OutcomeMemoryTest {
    private static final int KEPT = 2;

    private final BankCluster cluster = BankCluster.inMemory(BankCluster.twoBanks());
    private final DecisionLogStorage storage = new DecisionLogStorage();
    private EmbeddedCoordinator coordinator;
    private LookupCountingLog lookups;

    @AfterEach
    void closeAndCheckInvariants() {
        cluster.closeAfter(coordinator);
    }

    private EmbeddedCoordinator open(DecisionLog log) {
        coordinator = EmbeddedCoordinator.open(
                CoordinatorOptions.defaults().withFinishedOutcomesInMemoryMax(KEPT), cluster.banks(), log);
        return coordinator;
    }

    private void openCountingLookups() {
        lookups = new LookupCountingLog(storage.open());
        open(lookups);
    }

    /** Whether the coordinator answers a read of {@code id} without asking the decision log: it holds the id. */
    private boolean heldInMemory(String id) {
        long before = lookups.count.get();
        coordinator.outcome(id);
        return lookups.count.get() == before;
    }

    /** Ten committed transfers of 1 from a1 to b1, t0..t9; all but the last {@link #KEPT} leave memory. */
    private void tenTransfers() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(completion(coordinator.submit(Transaction.transfer("t" + i, "a1", "b1", 1))))
                    .isEqualTo(Outcome.committed("t" + i));
        }
    }

    @Test
    void keepsNoMoreThanTheBoundOfFinishedIdsInMemory() throws Exception {
        openCountingLookups();
        tenTransfers();

        assertThat(IntStream.range(0, 10).mapToObj(i -> "t" + i).filter(this::heldInMemory))
                .containsExactly("t8", "t9");
    }

    @Test
    void aRetryOfAForgottenIdGetsTheRecordedOutcomeAndAppliesNothing() throws Exception {
        open(storage.open());
        tenTransfers();

        assertThat(completion(coordinator.submit(Transaction.transfer("t0", "a1", "b1", 1))))
                .isEqualTo(Outcome.committed("t0"));
        assertThat(cluster.posted("a1")).isEqualTo(90);
        assertThat(cluster.posted("b1")).isEqualTo(110);
        assertThat(coordinator.counters().committed()).isEqualTo(10);
    }

    @Test
    void aForgottenIdWithAnotherBodyIsRefusedAsDuplicate() throws Exception {
        open(storage.open());
        tenTransfers();

        assertThat(completion(coordinator.submit(Transaction.transfer("t0", "a1", "b1", 2))))
                .isEqualTo(Outcome.aborted("t0", Reason.DUPLICATE_ID));
        assertThat(cluster.posted("a1")).isEqualTo(90);
    }

    @Test
    void aForgottenAbortIsAnsweredWithItsReason() throws Exception {
        open(storage.open());
        assertThat(completion(coordinator.submit(Transaction.transfer("poor", "a1", "b1", 1_000))))
                .isEqualTo(Outcome.aborted("poor", Reason.INSUFFICIENT_FUNDS));
        tenTransfers();

        assertThat(completion(coordinator.submit(Transaction.transfer("poor", "a1", "b1", 1_000))))
                .isEqualTo(Outcome.aborted("poor", Reason.INSUFFICIENT_FUNDS));
        assertThat(coordinator.outcome("poor")).contains(Outcome.aborted("poor", Reason.INSUFFICIENT_FUNDS));
    }

    @Test
    void readsOfAForgottenIdComeFromTheLog() throws Exception {
        openCountingLookups();
        tenTransfers();

        assertThat(coordinator.outcome("t0")).contains(Outcome.committed("t0"));
        assertThat(coordinator.recorded("t0"))
                .map(RecordedTransaction::postings)
                .contains(Transaction.transfer("t0", "a1", "b1", 1).postings());
        assertThat(coordinator.outcome("never")).isEmpty();
        assertThat(heldInMemory("t0"))
                .as("a read brings nothing back into memory")
                .isFalse();
    }

    @Test
    void concurrentRetriesOfAForgottenIdAllGetTheRecordedOutcome() throws Exception {
        open(storage.open());
        tenTransfers();
        int clients = 16;
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                outcomes.add(threads.submit(() -> {
                    start.await();
                    return completion(coordinator.submit(Transaction.transfer("t0", "a1", "b1", 1)));
                }));
            }
            start.countDown();
            for (Future<Outcome> outcome : outcomes) {
                assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.committed("t0"));
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(cluster.posted("a1")).isEqualTo(90);
    }

    @Test
    void aLogThatCannotBeReadFailsTheSubmissionAndLeavesTheIdUnclaimed() throws Exception {
        UnreadableLog log = new UnreadableLog(storage.open());
        open(log);
        log.unreadable.set(true);

        assertThatThrownBy(() -> coordinator.submit(Transaction.transfer("t1", "a1", "b1", 1)))
                .isInstanceOf(DecisionLogException.class);
        log.unreadable.set(false);

        assertThat(completion(coordinator.submit(Transaction.transfer("t1", "a1", "b1", 1))))
                .isEqualTo(Outcome.committed("t1"));
        assertThat(cluster.posted("a1")).isEqualTo(99);
    }

    @Test
    void anEarlierIncarnationsOutcomeIsFoundInTheLogAfterRestart() throws Exception {
        open(storage.open());
        assertThat(completion(coordinator.submit(Transaction.transfer("t1", "a1", "b1", 5))))
                .isEqualTo(Outcome.committed("t1"));
        coordinator.close();

        openCountingLookups();
        assertThat(heldInMemory("t1")).isFalse();
        assertThat(completion(coordinator.submit(Transaction.transfer("t1", "a1", "b1", 5))))
                .isEqualTo(Outcome.committed("t1"));
        assertThat(cluster.posted("a1")).isEqualTo(95);
    }

    /** A real log that counts the engine's lookups of outcomes by client id. */
    private static final class LookupCountingLog extends ForwardingDecisionLog {
        private final AtomicLong count = new AtomicLong();

        LookupCountingLog(DecisionLog real) {
            super(real);
        }

        @Override
        public Optional<DecisionRecord.ClientOutcome> outcomeOf(String clientId) {
            count.incrementAndGet();
            return super.outcomeOf(clientId);
        }
    }

    /** A real log whose reads of outcomes fail while {@link #unreadable} is set, as a lost database would. */
    private static final class UnreadableLog extends ForwardingDecisionLog {
        private final AtomicBoolean unreadable = new AtomicBoolean();

        UnreadableLog(DecisionLog real) {
            super(real);
        }

        @Override
        public Optional<DecisionRecord.ClientOutcome> outcomeOf(String clientId) {
            if (unreadable.get()) {
                throw new DecisionLogException("the database is unreachable");
            }
            return super.outcomeOf(clientId);
        }
    }
}
