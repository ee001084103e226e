package io.clearhouse.ejb.console;

import io.clearhouse.api.Status;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Outcomes counted by the second they ended in, over a sliding window of {@link #WINDOW_SECONDS}. A transfer's
 * thread adds one to the counter of its second and takes no lock; the first outcome of a new second replaces, with
 * one compare-and-set, the slot that held the second a window earlier. Rates are computed when asked, from the
 * counters, so nothing waits or sleeps to measure them.
 */
public final class Throughput {
    public static final int WINDOW_SECONDS = 60;

    private final AtomicReferenceArray<Second> slots = new AtomicReferenceArray<>(WINDOW_SECONDS);

    /** Counts one outcome of {@code status} in the second {@code epochSecond}. */
    public void record(Status status, long epochSecond) {
        Second second = secondOf(epochSecond);
        (status == Status.COMMITTED ? second.committed : second.aborted).increment();
    }

    /** The outcomes of the window that ends with the second {@code nowEpochSecond}, that second included. */
    public Rates over(long nowEpochSecond) {
        long committed = 0;
        long aborted = 0;
        for (int slot = 0; slot < WINDOW_SECONDS; slot++) {
            Second second = slots.get(slot);
            if (second != null
                    && second.epochSecond <= nowEpochSecond
                    && second.epochSecond > nowEpochSecond - WINDOW_SECONDS) {
                committed += second.committed.sum();
                aborted += second.aborted.sum();
            }
        }
        return new Rates(WINDOW_SECONDS, committed, aborted);
    }

    private Second secondOf(long epochSecond) {
        int slot = (int) Math.floorMod(epochSecond, (long) WINDOW_SECONDS);
        while (true) {
            Second current = slots.get(slot);
            if (current != null && current.epochSecond == epochSecond) {
                return current;
            }
            if (current != null && current.epochSecond > epochSecond) {
                // A thread that read the clock a window ago: its second has left the window, so it counts nowhere.
                return new Second(epochSecond);
            }
            Second fresh = new Second(epochSecond);
            if (slots.compareAndSet(slot, current, fresh)) {
                return fresh;
            }
        }
    }

    private static final class Second {
        final long epochSecond;
        final LongAdder committed = new LongAdder();
        final LongAdder aborted = new LongAdder();

        Second(long epochSecond) {
            this.epochSecond = epochSecond;
        }
    }

    /**
     * Outcomes over a window.
     *
     * @param windowSeconds the window's length
     * @param committed transactions committed in it
     * @param aborted transactions aborted in it, for any reason
     */
    public record Rates(int windowSeconds, long committed, long aborted) {
        public double committedPerSecond() {
            return (double) committed / windowSeconds;
        }

        public double abortedPerSecond() {
            return (double) aborted / windowSeconds;
        }
    }
}
