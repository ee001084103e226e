package io.clearhouse.core.simulation;

import java.util.PriorityQueue;
import java.util.Random;

/**
 * Virtual time for one seed: tasks run in order of their due time, ties in order of scheduling, so a seed replays
 * exactly. All randomness of the run comes from {@link #random()}.
 */
final class Scheduler {
    private record Task(long dueMillis, long order, Runnable action) {}

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((left, right) -> {
        int byTime = Long.compare(left.dueMillis, right.dueMillis);
        return byTime != 0 ? byTime : Long.compare(left.order, right.order);
    });
    private final Random random;
    private long nowMillis;
    private long scheduled;

    Scheduler(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    long nowMillis() {
        return nowMillis;
    }

    void after(long delayMillis, Runnable action) {
        tasks.add(new Task(nowMillis + delayMillis, scheduled++, action));
    }

    /** Runs the next task; false when none is left. */
    boolean runNext() {
        Task task = tasks.poll();
        if (task == null) {
            return false;
        }
        nowMillis = task.dueMillis;
        task.action.run();
        return true;
    }

    /** A delay between {@code minMillis} and {@code maxMillis} inclusive. */
    long between(long minMillis, long maxMillis) {
        return minMillis + (long) (random.nextDouble() * (maxMillis - minMillis + 1));
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }
}
