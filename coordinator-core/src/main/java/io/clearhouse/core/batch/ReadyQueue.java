package io.clearhouse.core.batch;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The transfers released by completions and not yet submitted, first in, first out. Every transfer is released at
 * most once, so an array with one slot per line never wraps and no slot is ever reused: a writer claims the next
 * slot and publishes into it, a reader claims the next published slot. Lock-free, and allocates nothing per transfer.
 */
final class ReadyQueue {
    static final int EMPTY = -1;

    /** Holds position + 1, so that the zero an array starts with means "claimed, not yet published". */
    private final AtomicIntegerArray slots;

    private final AtomicInteger writeIndex = new AtomicInteger();
    private final AtomicInteger readIndex = new AtomicInteger();

    ReadyQueue(int capacity) {
        slots = new AtomicIntegerArray(capacity);
    }

    void add(int position) {
        int index = writeIndex.getAndIncrement();
        if (index >= slots.length()) {
            throw new IllegalStateException("transfer at position " + position + " released twice");
        }
        slots.set(index, position + 1);
    }

    /** The oldest released transfer, or {@link #EMPTY}. */
    int poll() {
        while (true) {
            int index = readIndex.get();
            if (index >= writeIndex.get()) {
                return EMPTY;
            }
            int value = slots.get(index);
            if (value == 0) {
                // A writer has claimed this slot and is about to publish it; the wait is a few instructions long.
                Thread.onSpinWait();
                continue;
            }
            if (readIndex.compareAndSet(index, index + 1)) {
                return value - 1;
            }
        }
    }
}
