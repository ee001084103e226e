package io.clearhouse.log.jpa.internal;

import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.log.jpa.entity.DecisionRecordEntity;
import jakarta.persistence.PersistenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One thread that writes queued rows in database transactions. Whatever queued up while the previous transaction
 * committed goes into the next one, up to {@code batchRecordsMax}, so concurrent durable appends share one commit
 * (group commit). Lazy rows wait in order for the next durable one, for close, or until {@code batchRecordsMax} of
 * them fill a transaction by themselves.
 *
 * <p>A failed transaction fails the durable appends it carried with a {@link DecisionLogException}; the lazy rows
 * in it are lost, as a crash would lose them. The outcome of a failed commit is unknown, not negative: the rows
 * may be in the database all the same.
 */
public final class GroupCommitWriter {
    private static final Pending CLOSE = new Pending(null, null);

    private final BlockingQueue<Pending> queue;
    private final Consumer<List<DecisionRecordEntity>> transaction;
    private final int batchRecordsMax;
    private final long enqueueTimeoutMillis;
    private final AtomicLong transactions = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param transaction persists the rows it is given in one database transaction, or throws
     */
    public GroupCommitWriter(
            Consumer<List<DecisionRecordEntity>> transaction,
            int queueRecordsMax,
            int batchRecordsMax,
            long enqueueTimeoutMillis,
            ThreadFactory threads) {
        this.queue = new ArrayBlockingQueue<>(queueRecordsMax);
        this.transaction = transaction;
        this.batchRecordsMax = batchRecordsMax;
        this.enqueueTimeoutMillis = enqueueTimeoutMillis;
        this.thread = threads.newThread(this::run);
        thread.start();
    }

    /** Queues {@code row}; the future completes once the transaction that carries it has committed. */
    public CompletableFuture<Void> appendDurably(DecisionRecordEntity row) {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        enqueue(new Pending(row, durable));
        return durable;
    }

    /** Queues {@code row} to go with the next durable row's transaction. */
    public void appendLazily(DecisionRecordEntity row) {
        enqueue(new Pending(row, null));
    }

    /** How many transactions the writer has committed. */
    public long transactions() {
        return transactions.get();
    }

    /** Writes everything queued, then stops the thread; waits at most {@code timeoutMillis}. */
    public void close(long timeoutMillis) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!queue.offer(CLOSE, timeoutMillis, TimeUnit.MILLISECONDS)) {
                thread.interrupt();
            }
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            throw new DecisionLogException("the decision log writer did not finish within " + timeoutMillis + " ms");
        }
    }

    private void enqueue(Pending pending) {
        if (closed) {
            throw new DecisionLogException("the decision log is closed");
        }
        try {
            if (!queue.offer(pending, enqueueTimeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new DecisionLogException("the decision log queue stayed full for " + enqueueTimeoutMillis
                        + " ms; the database is too slow or unreachable");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DecisionLogException("interrupted while queueing a decision record", e);
        }
    }

    private void run() {
        List<Pending> carried = new ArrayList<>();
        try {
            boolean open = true;
            while (open) {
                List<Pending> batch = carried;
                batch.add(queue.take());
                queue.drainTo(batch, Math.max(0, batchRecordsMax - batch.size()));
                open = !batch.removeIf(pending -> pending == CLOSE);
                if (!open || batch.size() >= batchRecordsMax || batch.stream().anyMatch(Pending::isDurable)) {
                    write(batch);
                    carried = new ArrayList<>();
                }
            }
        } catch (InterruptedException e) {
            failAll(carried, "the decision log writer was interrupted");
        } catch (RuntimeException e) {
            closed = true;
            failAll(carried, "the decision log writer failed: " + e);
            throw e;
        } finally {
            List<Pending> late = new ArrayList<>();
            queue.drainTo(late);
            failAll(late, "the decision log closed before this record was written");
        }
    }

    private void write(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            transaction.accept(batch.stream().map(Pending::row).toList());
        } catch (PersistenceException | DecisionLogException e) {
            DecisionLogException failure = new DecisionLogException(
                    "a transaction of " + batch.size() + " decision records failed; they may or may not be stored", e);
            batch.stream().filter(Pending::isDurable).forEach(pending -> pending.durable()
                    .completeExceptionally(failure));
            return;
        }
        transactions.incrementAndGet();
        batch.stream().filter(Pending::isDurable).forEach(pending -> pending.durable()
                .complete(null));
    }

    private static void failAll(List<Pending> pendings, String reason) {
        DecisionLogException failure = new DecisionLogException(reason);
        pendings.stream().filter(Pending::isDurable).forEach(pending -> pending.durable()
                .completeExceptionally(failure));
    }

    private record Pending(DecisionRecordEntity row, CompletableFuture<Void> durable) {
        boolean isDurable() {
            return durable != null;
        }
    }
}
