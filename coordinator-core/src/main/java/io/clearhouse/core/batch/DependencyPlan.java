package io.clearhouse.core.batch;

import io.clearhouse.api.batch.BatchLine;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The per-account queues of a batch, flattened into arrays indexed by line position. Each account's queue is a chain
 * of transfers in file order: a transfer knows its successor in the queue of its source and in the queue of its
 * destination, and how many predecessors it waits for (0, 1 or 2). A transfer heads all its queues exactly when the
 * predecessors it waits for have left them. Refused lines take part in no queue.
 */
final class DependencyPlan {
    static final int NONE = -1;
    /** Queue tails encode a position times two, so positions stay below half the int range. */
    static final int LINES_MAX = Integer.MAX_VALUE / 2;
    /** From this many lines on, two threads build the queues; below it a thread costs more than it saves. */
    static final int PARTITIONED_LINES_MIN = 16_384;

    private final int[] sourceSuccessor;
    private final int[] destinationSuccessor;
    private final int[] predecessorCount;
    private final int[] initiallyReady;
    private final int transferCount;

    private DependencyPlan(
            int[] sourceSuccessor,
            int[] destinationSuccessor,
            int[] predecessorCount,
            int[] initiallyReady,
            int transferCount) {
        this.sourceSuccessor = sourceSuccessor;
        this.destinationSuccessor = destinationSuccessor;
        this.predecessorCount = predecessorCount;
        this.initiallyReady = initiallyReady;
        this.transferCount = transferCount;
    }

    /** The tail of one account's queue: a line position times two, plus one when the account is its destination. */
    private static final class QueueTail {
        int slot;
    }

    static DependencyPlan of(List<BatchLine> lines) {
        int size = lines.size();
        if (size > LINES_MAX) {
            throw new IllegalArgumentException("a batch holds at most " + LINES_MAX + " lines: " + size);
        }
        Queues queues = new Queues(size);
        if (size < PARTITIONED_LINES_MIN) {
            queues.link(lines, 0, 1);
        } else {
            // Each account's queue is built by one thread only, chosen by the account, so the two never write the
            // same slot; a large batch is planned while its engine would otherwise wait on one core.
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> queues.link(lines, 1, 2));
            queues.link(lines, 0, 2);
            other.join();
        }
        int[] predecessorCount = new int[size];
        int[] ready = new int[size];
        int readyCount = 0;
        int transferCount = 0;
        for (int position = 0; position < size; position++) {
            if (lines.get(position) instanceof BatchLine.Transfer) {
                transferCount++;
                int waits = queues.sourceWaits[position] + queues.destinationWaits[position];
                predecessorCount[position] = waits;
                if (waits == 0) {
                    ready[readyCount++] = position;
                }
            }
        }
        return new DependencyPlan(
                queues.sourceSuccessor,
                queues.destinationSuccessor,
                predecessorCount,
                Arrays.copyOf(ready, readyCount),
                transferCount);
    }

    /** The queues of a batch under construction, each account's built by the partition that owns the account. */
    private static final class Queues {
        final int[] sourceSuccessor;
        final int[] destinationSuccessor;
        /** 1 when the transfer has a predecessor in its source's queue, else 0. */
        final byte[] sourceWaits;
        /** 1 when the transfer has a predecessor in its destination's queue, else 0. */
        final byte[] destinationWaits;

        Queues(int size) {
            sourceSuccessor = new int[size];
            destinationSuccessor = new int[size];
            sourceWaits = new byte[size];
            destinationWaits = new byte[size];
            Arrays.fill(sourceSuccessor, NONE);
            Arrays.fill(destinationSuccessor, NONE);
        }

        /** Appends every transfer, in file order, to the queues of the accounts in {@code partition}. */
        void link(List<BatchLine> lines, int partition, int partitions) {
            Map<String, QueueTail> tails = new HashMap<>();
            for (int position = 0; position < lines.size(); position++) {
                if (!(lines.get(position) instanceof BatchLine.Transfer transfer)) {
                    continue;
                }
                if (owns(transfer.from(), partition, partitions)) {
                    sourceWaits[position] = enqueue(tails, transfer.from(), position * 2);
                }
                if (owns(transfer.to(), partition, partitions)) {
                    destinationWaits[position] = enqueue(tails, transfer.to(), position * 2 + 1);
                }
            }
        }

        private static boolean owns(String account, int partition, int partitions) {
            return (account.hashCode() & Integer.MAX_VALUE) % partitions == partition;
        }

        /** Appends a transfer to an account's queue; returns 1 when it has a predecessor there. */
        private byte enqueue(Map<String, QueueTail> tails, String account, int slot) {
            QueueTail tail = tails.get(account);
            if (tail == null) {
                tail = new QueueTail();
                tail.slot = slot;
                tails.put(account, tail);
                return 0;
            }
            int previous = tail.slot;
            int[] successors = (previous & 1) == 0 ? sourceSuccessor : destinationSuccessor;
            successors[previous >>> 1] = slot >>> 1;
            tail.slot = slot;
            return 1;
        }
    }

    /** The next transfer in the queue of this transfer's source account, or {@link #NONE}. */
    int sourceSuccessor(int position) {
        return sourceSuccessor[position];
    }

    /** The next transfer in the queue of this transfer's destination account, or {@link #NONE}. */
    int destinationSuccessor(int position) {
        return destinationSuccessor[position];
    }

    /** The transfers that head all their queues at the start, in file order. */
    int[] initiallyReady() {
        return initiallyReady.clone();
    }

    int initiallyReadyCount() {
        return initiallyReady.length;
    }

    int initiallyReady(int index) {
        return initiallyReady[index];
    }

    int transferCount() {
        return transferCount;
    }

    /** How many queues each transfer, by position, does not head at the start; a copy to count down. */
    int[] predecessorCounts() {
        return predecessorCount.clone();
    }
}
