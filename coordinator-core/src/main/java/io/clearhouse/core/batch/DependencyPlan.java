package io.clearhouse.core.batch;

import io.clearhouse.api.batch.BatchLine;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        int[] sourceSuccessor = new int[size];
        int[] destinationSuccessor = new int[size];
        int[] predecessorCount = new int[size];
        int[] ready = new int[size];
        Arrays.fill(sourceSuccessor, NONE);
        Arrays.fill(destinationSuccessor, NONE);
        Map<String, QueueTail> tails = new HashMap<>();
        int readyCount = 0;
        int transferCount = 0;
        for (int position = 0; position < size; position++) {
            if (!(lines.get(position) instanceof BatchLine.Transfer transfer)) {
                continue;
            }
            transferCount++;
            int waits = enqueue(tails, transfer.from(), position * 2, sourceSuccessor, destinationSuccessor)
                    + enqueue(tails, transfer.to(), position * 2 + 1, sourceSuccessor, destinationSuccessor);
            predecessorCount[position] = waits;
            if (waits == 0) {
                ready[readyCount++] = position;
            }
        }
        return new DependencyPlan(
                sourceSuccessor,
                destinationSuccessor,
                predecessorCount,
                Arrays.copyOf(ready, readyCount),
                transferCount);
    }

    /** Appends a transfer to an account's queue; returns 1 when it has a predecessor there. */
    private static int enqueue(
            Map<String, QueueTail> tails, String account, int slot, int[] sourceSuccessor, int[] destinationSuccessor) {
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

    /** The next transfer in the queue of this transfer's source account, or {@link #NONE}. */
    int sourceSuccessor(int position) {
        return sourceSuccessor[position];
    }

    /** The next transfer in the queue of this transfer's destination account, or {@link #NONE}. */
    int destinationSuccessor(int position) {
        return destinationSuccessor[position];
    }

    /** How many queues this transfer does not head at the start. */
    int predecessorCount(int position) {
        return predecessorCount[position];
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

    int[] predecessorCounts() {
        return predecessorCount.clone();
    }
}
