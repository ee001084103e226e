package io.clearhouse.core.batch;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.api.batch.BatchLine;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.CoordinatorCounters;
import io.clearhouse.core.Submission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * A pure-logic coordinator for testing the scheduler: it applies a transfer to a balance map at the moment it
 * completes it, so results equal serial execution only if the scheduler ordered the transfers correctly. It also
 * records every breach of the scheduling rules it can see: two transfers in flight on one account, transfers on one
 * account submitted out of file order, a transfer submitted twice.
 *
 * <p>Inline mode completes every transfer inside {@code submit}. Deferred mode keeps submissions pending until
 * {@link #completeOneAtRandom} or {@link #completeAll} is called from another thread, in a seeded random order.
 */
final class FakeCoordinator implements Coordinator {
    private final SerialModel model;
    private final boolean inline;
    private final Random random;
    private final Map<String, Integer> fileOrder;
    private final Set<String> accountsInFlight = new HashSet<>();
    private final Map<String, Integer> lastSubmittedOnAccount = new HashMap<>();
    private final Set<String> submittedIds = new HashSet<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private int inFlightPeak;
    private int submissions;
    private String failOnId;
    private String throwOnId;
    private Error error;
    private volatile Error helperError;
    private final CountDownLatch helperErrorThrown = new CountDownLatch(1);

    private record Pending(Transaction transaction, CompletableFuture<Outcome> future) {}

    FakeCoordinator(Map<String, Long> balances, List<BatchLine> lines, boolean inline, long seed) {
        this.model = new SerialModel(balances);
        this.inline = inline;
        this.random = new Random(seed);
        this.fileOrder = new HashMap<>();
        for (BatchLine line : lines) {
            if (line instanceof BatchLine.Transfer) {
                fileOrder.put(line.transactionId(), line.lineNumber());
            }
        }
    }

    /** Makes the submission of this id throw {@code error}, as a JVM out of memory would. */
    synchronized void throwOnSubmit(String transactionId, Error error) {
        throwOnId = transactionId;
        this.error = error;
    }

    /**
     * Makes the first submission from one of the batch's helper threads throw {@code error}; submissions from any
     * other thread wait until it has, so that a helper is sure to get there.
     */
    void throwOnFirstHelperSubmit(Error error) {
        helperError = error;
    }

    private void throwIfFirstHelper() {
        if (Thread.currentThread().getName().startsWith(BatchExecution.HELPER_THREAD_PREFIX)) {
            if (helperErrorThrown.getCount() > 0) {
                helperErrorThrown.countDown();
                throw helperError;
            }
        } else {
            try {
                helperErrorThrown.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Makes the completion of this id fail, as a closed coordinator would. */
    synchronized void failOn(String transactionId) {
        failOnId = transactionId;
    }

    @Override
    public Submission submit(Transaction transaction) {
        if (helperError != null) {
            throwIfFirstHelper();
        }
        CompletableFuture<Outcome> future = new CompletableFuture<>();
        synchronized (this) {
            if (transaction.id().equals(throwOnId)) {
                throw error;
            }
            check(transaction);
            pending.add(new Pending(transaction, future));
            inFlightPeak = Math.max(inFlightPeak, pending.size());
            notifyAll();
        }
        if (inline) {
            completeOneAtRandom();
        }
        return new Submission(future, future);
    }

    private void check(Transaction transaction) {
        submissions++;
        if (!submittedIds.add(transaction.id())) {
            violations.add("submitted twice: " + transaction.id());
        }
        int line = fileOrder.getOrDefault(transaction.id(), -1);
        for (Posting posting : transaction.postings()) {
            if (!accountsInFlight.add(posting.account())) {
                violations.add("two transfers in flight on " + posting.account() + " at " + transaction.id());
            }
            Integer previous = lastSubmittedOnAccount.put(posting.account(), line);
            if (previous != null && previous > line) {
                violations.add(transaction.id() + " overtook line " + previous + " on " + posting.account());
            }
        }
    }

    /** Completes one pending transfer chosen at random, waiting for one to be submitted; false once told to stop. */
    boolean completeOneAtRandom() {
        Pending chosen;
        Outcome outcome;
        synchronized (this) {
            while (pending.isEmpty()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    return false;
                }
            }
            chosen = pending.remove(random.nextInt(pending.size()));
            if (chosen.transaction().id().equals(failOnId)) {
                chosen.future().completeExceptionally(new IllegalStateException("coordinator closed"));
                return true;
            }
            outcome = apply(chosen.transaction());
            for (Posting posting : chosen.transaction().postings()) {
                accountsInFlight.remove(posting.account());
            }
        }
        chosen.future().complete(outcome);
        return true;
    }

    private Outcome apply(Transaction transaction) {
        List<Posting> postings = transaction.postings();
        String from = postings.get(0).account();
        String to = postings.get(1).account();
        long amount = postings.get(1).amount();
        Reason reason = model.apply(new BatchLine.Transfer(1, transaction.id(), from, to, amount));
        return reason == null ? Outcome.committed(transaction.id()) : Outcome.aborted(transaction.id(), reason);
    }

    /** Waits until {@code count} transfers are pending at once. */
    synchronized void awaitPending(int count) throws InterruptedException {
        while (pending.size() < count) {
            wait();
        }
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized int inFlightPeak() {
        return inFlightPeak;
    }

    synchronized int submissions() {
        return submissions;
    }

    synchronized Map<String, Long> balances() {
        return Map.copyOf(model.balances());
    }

    @Override
    public Optional<Outcome> outcome(String transactionId) {
        return Optional.empty();
    }

    @Override
    public Optional<io.clearhouse.core.RecordedTransaction> recorded(String transactionId) {
        return Optional.empty();
    }

    @Override
    public CoordinatorCounters counters() {
        return new CoordinatorCounters(0, 0, 0, 0, 0);
    }

    @Override
    public void close() {}
}
