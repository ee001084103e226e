package io.clearhouse.log.raft;

import io.clearhouse.api.Completions;
import io.clearhouse.core.log.DecisionLogException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Group commit for a replicated log: up to {@value #ENTRIES_IN_FLIGHT_MAX} entries in flight at a time, and what
 * queued while they were in flight leaves together as the next entry, up to {@code batchSizeMax} records and {@code
 * batchBytesMax} bytes. Entries are handed to the sender in the order their records were submitted, and the sender
 * keeps that order. A lazy record waits for the next durable one or a {@link #flush()}. A failed entry fails its
 * records and everything queued behind it, and every later submission: the log can no longer say which of them the
 * group holds.
 */
final class EntryBatcher {
    /** A queued record; a durable one makes the next entry leave, a lazy one only rides along. */
    private record Pending(byte[] record, Durability durability, CompletableFuture<Void> committed) {}

    private enum Durability {
        DURABLE,
        LAZY
    }

    /**
     * One entry in flight leaves the leader idle while a majority stores it; a few keep its disk and the followers'
     * busy (Ratis pipelines a client's writes and applies them in the order sent) while records still gather.
     */
    static final int ENTRIES_IN_FLIGHT_MAX = 4;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /**
     * Requests to send what may leave; whoever raises it from zero sends, for itself and for every request raised
     * meanwhile, so entries leave in queue order without a lock held across the sender. Ratis completes a write
     * while it holds its own lock, whose thread may then ask to send here: a lock of ours held while sending would
     * deadlock against it.
     */
    private final AtomicInteger sendRequests = new AtomicInteger();

    private final Function<List<byte[]>, CompletableFuture<Void>> sender;
    private final int batchSizeMax;
    private final int batchBytesMax;
    private final int queueSizeMax;
    private int durableQueued;
    private boolean flushRequested;
    private int inFlight;
    private Throwable failure;
    private CompletableFuture<Void> lastSubmitted = CompletableFuture.completedFuture(null);

    EntryBatcher(Function<List<byte[]>, CompletableFuture<Void>> sender, RaftOptions options) {
        this.sender = sender;
        this.batchSizeMax = options.batchSizeMax();
        this.batchBytesMax = options.batchBytesMax();
        this.queueSizeMax = options.queueSizeMax();
    }

    /** Queues a record that leaves with the next entry; the future completes once the group committed it. */
    CompletableFuture<Void> submitDurable(byte[] record) {
        return submit(record, Durability.DURABLE);
    }

    /** Queues a record that leaves with the next durable one or the next flush. */
    CompletableFuture<Void> submitLazy(byte[] record) {
        return submit(record, Durability.LAZY);
    }

    /** Sends whatever is queued; completes once every record submitted so far is committed. */
    CompletableFuture<Void> flush() {
        CompletableFuture<Void> last;
        synchronized (this) {
            flushRequested = !queue.isEmpty();
            last = lastSubmitted;
        }
        sendReady();
        return last;
    }

    private CompletableFuture<Void> submit(byte[] record, Durability durability) {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        synchronized (this) {
            if (failure != null) {
                return CompletableFuture.failedFuture(
                        new DecisionLogException("an earlier write to the replicated log failed", failure));
            }
            if (queue.size() >= queueSizeMax) {
                return CompletableFuture.failedFuture(new DecisionLogException(
                        "the replicated log's queue holds " + queueSizeMax + " records (queueSizeMax)"));
            }
            queue.add(new Pending(record, durability, committed));
            lastSubmitted = committed;
            if (durability == Durability.DURABLE) {
                durableQueued++;
            }
        }
        sendReady();
        return committed;
    }

    /** Sends entries while some may leave, unless another thread is sending them. */
    private void sendReady() {
        if (sendRequests.getAndIncrement() != 0) {
            return;
        }
        int requests = 1;
        do {
            List<Pending> batch;
            while (!(batch = takeBatchIfReady()).isEmpty()) {
                send(batch);
            }
            requests = sendRequests.addAndGet(-requests);
        } while (requests != 0);
    }

    /** The next entry's records when one may leave now: room in flight, and something that asks to leave. */
    private synchronized List<Pending> takeBatchIfReady() {
        if (inFlight >= ENTRIES_IN_FLIGHT_MAX || queue.isEmpty() || (durableQueued == 0 && !flushRequested)) {
            return List.of();
        }
        List<Pending> batch = new ArrayList<>();
        long bytes = 0;
        while (!queue.isEmpty()
                && batch.size() < batchSizeMax
                && (batch.isEmpty() || bytes + queue.peek().record().length <= batchBytesMax)) {
            Pending next = queue.poll();
            bytes += next.record().length;
            batch.add(next);
        }
        for (Pending taken : batch) {
            durableQueued -= taken.durability() == Durability.DURABLE ? 1 : 0;
        }
        inFlight++;
        flushRequested = flushRequested && !queue.isEmpty();
        return batch;
    }

    private void send(List<Pending> batch) {
        List<byte[]> records = batch.stream().map(Pending::record).toList();
        sender.apply(records).whenComplete((committed, thrown) -> onSent(batch, thrown));
    }

    private void onSent(List<Pending> batch, Throwable thrown) {
        List<Pending> failed = new ArrayList<>();
        synchronized (this) {
            inFlight--;
            if (thrown != null) {
                failure = thrown;
                failed.addAll(queue);
                queue.clear();
                durableQueued = 0;
            }
        }
        for (Pending pending : batch) {
            complete(pending, thrown);
        }
        for (Pending pending : failed) {
            complete(pending, thrown);
        }
        sendReady();
    }

    private static void complete(Pending pending, Throwable thrown) {
        Throwable cause = Completions.cause(thrown);
        if (cause == null) {
            pending.committed().complete(null);
        } else {
            pending.committed()
                    .completeExceptionally(
                            cause instanceof DecisionLogException
                                    ? cause
                                    : new DecisionLogException("the replicated log did not commit the write", cause));
        }
    }
}
