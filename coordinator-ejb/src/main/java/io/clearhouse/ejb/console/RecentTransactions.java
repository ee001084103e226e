package io.clearhouse.ejb.console;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code capacity} transactions the API answered, in a ring that a transfer's thread writes with one atomic
 * increment and one store, never a lock; the newest overwrites the oldest. A reader racing writers may miss an entry
 * being written, which the console's next refresh shows.
 */
public final class RecentTransactions {
    private final AtomicReferenceArray<RecentTransaction> slots;
    private final AtomicLong next = new AtomicLong();

    public RecentTransactions(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a ring of recent transactions holds at least one: " + capacity);
        }
        slots = new AtomicReferenceArray<>(capacity);
    }

    public void record(Transaction transaction, Outcome outcome, Instant at) {
        long sequence = next.getAndIncrement();
        slots.set((int) (sequence % slots.length()), new RecentTransaction(sequence, at, transaction, outcome));
    }

    /** What the ring holds, newest first. */
    public List<RecentTransaction> newestFirst() {
        List<RecentTransaction> entries = new ArrayList<>(slots.length());
        for (int slot = 0; slot < slots.length(); slot++) {
            RecentTransaction entry = slots.get(slot);
            if (entry != null) {
                entries.add(entry);
            }
        }
        entries.sort(Comparator.comparingLong(RecentTransaction::sequence).reversed());
        return entries;
    }

    /**
     * One answered transaction.
     *
     * @param sequence its place among every transaction the ring was given, from 0
     * @param at when its outcome was answered
     * @param transaction what the client sent
     * @param outcome what the API answered
     */
    public record RecentTransaction(long sequence, Instant at, Transaction transaction, Outcome outcome) {}
}
