package io.clearhouse.core.batch;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Transaction;
import io.clearhouse.api.batch.BatchLine;
import io.clearhouse.core.Coordinator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the transfers of a batch through a coordinator with outcomes equal to serial execution in file order.
 *
 * <p>A transfer is submitted when it heads the queues of both its accounts ({@link DependencyPlan}). When its
 * {@link io.clearhouse.core.Submission#completion() completion} arrives, phase two is acknowledged and its effects
 * are visible, so it leaves its queues and releases the successors that now head all of theirs. Two transfers in
 * flight therefore never share an account, and each account sees its transfers in file order: every balance a
 * transfer is judged against is the one serial execution would show it. The transaction id given to the coordinator
 * is the line's own id, which the parser guarantees unique among transfers; a re-run against durable state thus gets
 * the first outcome back rather than applying a transfer twice.
 *
 * <p>Worker threads (the caller's among them) take released transfers first, then the transfers that were ready
 * from the start, in file order. Completions only record the outcome, release successors and wake a waiting worker;
 * they never submit, so a coordinator that completes on the submitting thread cannot recurse down a long chain.
 */
public final class BatchExecution {
    static final String HELPER_THREAD_PREFIX = "batch-worker-";
    private static final int CLAIM_CHUNK = 32;

    private final List<BatchLine> lines;
    private final Coordinator coordinator;
    private final BatchOptions options;
    private final DependencyPlan plan;
    private final byte[] resultCodes;
    private final AtomicIntegerArray waits;
    private final ReadyQueue released;
    private final AtomicInteger initialCursor = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger waitingWorkers = new AtomicInteger();
    private final AtomicReference<BatchExecutionException> failure = new AtomicReference<>();
    private final Object monitor = new Object();
    /** Made up front: a worker that runs out of memory may find no room to make the exception that says so. */
    private final BatchExecutionException outOfMemory =
            new BatchExecutionException(0, null, new OutOfMemoryError("the batch ran out of memory"));

    public BatchExecution(List<BatchLine> lines, Coordinator coordinator, BatchOptions options) {
        this.lines = List.copyOf(lines);
        this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
        this.options = Objects.requireNonNull(options, "options");
        this.plan = DependencyPlan.of(this.lines);
        this.resultCodes = new byte[this.lines.size()];
        this.waits = new AtomicIntegerArray(plan.predecessorCounts());
        this.released = new ReadyQueue(this.lines.size());
    }

    /** Lines in the batch. */
    public int totalLines() {
        return lines.size();
    }

    /** Lines with a result so far: refused lines count from the start, transfers once complete. */
    public int finishedLines() {
        return lines.size() - plan.transferCount() + completed.get();
    }

    /**
     * Executes every transfer and waits for the last completion. Call once.
     *
     * @throws BatchExecutionException when the coordinator fails a transfer; nothing more is submitted after that
     */
    public BatchResults run() {
        List<Thread> helpers = new ArrayList<>();
        for (int i = 1; i < options.workerThreads(); i++) {
            Thread helper = new Thread(this::workUntilDoneOrFailed, HELPER_THREAD_PREFIX + i);
            helper.setDaemon(true);
            helper.start();
            helpers.add(helper);
        }
        workUntilDoneOrFailed();
        joinAll(helpers);
        BatchExecutionException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
        return new BatchResults(lines, resultCodes.clone());
    }

    /**
     * Works until the batch is done, or fails it on an error (out of memory, say) that escapes the work: left to end
     * one worker's thread alone, the error would leave the others waiting for completions of the transfers that
     * worker had claimed but never submitted.
     */
    private void workUntilDoneOrFailed() {
        try {
            work();
        } catch (RuntimeException | Error e) {
            try {
                failBatch(new BatchExecutionException(0, null, e));
            } catch (OutOfMemoryError noRoomToSayWhy) {
                failBatch(outOfMemory);
            }
        }
    }

    private void work() {
        Claim claim = new Claim();
        while (true) {
            // The epoch read here is the one checked for the end: read twice, the last completion could slip
            // between the reads and leave a worker waiting for a completion that never comes.
            int epoch = completed.get();
            if (failure.get() != null || epoch >= plan.transferCount()) {
                return;
            }
            int position = inFlight.get() < options.inFlightMax() ? nextTransfer(claim) : ReadyQueue.EMPTY;
            if (position == ReadyQueue.EMPTY) {
                awaitCompletionAfter(epoch);
            } else {
                submit(position);
            }
        }
    }

    /** A worker's own run of initially ready transfers, claimed a few at a time to keep the cursor cool. */
    private static final class Claim {
        int next;
        int end;
    }

    private int nextTransfer(Claim claim) {
        int position = released.poll();
        if (position != ReadyQueue.EMPTY) {
            return position;
        }
        if (claim.next == claim.end) {
            int start = initialCursor.getAndAdd(CLAIM_CHUNK);
            int readyCount = plan.initiallyReadyCount();
            claim.next = Math.min(start, readyCount);
            claim.end = Math.min(start + CLAIM_CHUNK, readyCount);
            if (claim.next == claim.end) {
                return ReadyQueue.EMPTY;
            }
        }
        return plan.initiallyReady(claim.next++);
    }

    private void submit(int position) {
        BatchLine.Transfer transfer = (BatchLine.Transfer) lines.get(position);
        inFlight.incrementAndGet();
        Transaction transaction =
                Transaction.transfer(transfer.transactionId(), transfer.from(), transfer.to(), transfer.amount());
        try {
            CompletableFuture<Outcome> completion =
                    coordinator.submit(transaction).completion();
            // An in-memory coordinator completes on this thread; a callback would only add a stage and a lambda.
            if (completion.isDone() && !completion.isCompletedExceptionally()) {
                complete(position, completion.join(), null);
            } else {
                completion.whenComplete((outcome, error) -> complete(position, outcome, error));
            }
        } catch (RuntimeException e) {
            fail(position, e);
        }
    }

    private void complete(int position, Outcome outcome, Throwable error) {
        if (error != null || outcome == null) {
            fail(position, error != null ? error : new IllegalStateException("completion without an outcome"));
            return;
        }
        resultCodes[position] = BatchResults.code(outcome);
        release(plan.sourceSuccessor(position));
        release(plan.destinationSuccessor(position));
        inFlight.decrementAndGet();
        completed.incrementAndGet();
        if (waitingWorkers.get() > 0) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    private void release(int successor) {
        if (successor != DependencyPlan.NONE && waits.decrementAndGet(successor) == 0) {
            released.add(successor);
        }
    }

    private void fail(int position, Throwable error) {
        BatchLine line = lines.get(position);
        failBatch(new BatchExecutionException(line.lineNumber(), line.transactionId(), error));
    }

    /** Records the first failure and wakes every waiting worker, so that each sees it and stops. */
    private void failBatch(BatchExecutionException first) {
        failure.compareAndSet(null, first);
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /**
     * Sleeps until a transfer completes after {@code epoch} was read, or the batch fails. Every event that can give
     * a worker something to do (a released successor, a free in-flight slot) is a completion, and the completion
     * count moves after the work is published; a worker that registers and then still sees the old count is sure
     * to be notified.
     */
    private void awaitCompletionAfter(int epoch) {
        synchronized (monitor) {
            waitingWorkers.incrementAndGet();
            try {
                while (completed.get() == epoch && failure.get() == null) {
                    monitor.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failBatch(new BatchExecutionException(0, null, e));
            } finally {
                waitingWorkers.decrementAndGet();
            }
        }
    }

    private static void joinAll(List<Thread> threads) {
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BatchExecutionException(0, null, e);
            }
        }
    }
}
