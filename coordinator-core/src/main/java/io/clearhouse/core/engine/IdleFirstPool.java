package io.clearhouse.core.engine;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's pool: a task goes to an idle thread when there is one, starts a new thread when there is none (up
 * to {@code threadsMax}), and waits in the queue only beyond that. A plain {@link ThreadPoolExecutor} does neither:
 * with a large core size it starts a new thread for every task until all exist, even with others idle, and with a
 * small core size it queues instead of growing. Banks that block need many threads; with banks that do not (in
 * memory, or preparing asynchronously) the work is short, and a few threads that stay warm cost fewer wake-ups
 * than hundreds taking turns. Its queue has no bound of its own: the in-flight limit bounds the tasks (a few per
 * transaction) that can wait in it.
 */
final class IdleFirstPool extends ThreadPoolExecutor {
    IdleFirstPool(int threadsMax, long keepAliveMillis, ThreadFactory threads) {
        super(
                0,
                threadsMax,
                keepAliveMillis,
                TimeUnit.MILLISECONDS,
                new IdleFirstQueue(),
                threads,
                IdleFirstPool::queue);
    }

    /** No idle thread and no room for another: the task waits for the next thread that comes free. */
    private static void queue(Runnable task, ThreadPoolExecutor pool) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("the engine's pool is shut down");
        }
        ((IdleFirstQueue) pool.getQueue()).enqueue(task);
    }

    /** Refuses a task when no thread waits for one, which makes the pool start a thread if it may. */
    private static final class IdleFirstQueue extends LinkedBlockingQueue<Runnable> {
        private final AtomicInteger waitingThreads = new AtomicInteger();

        @Override
        public boolean offer(Runnable task) {
            return waitingThreads.get() > 0 && super.offer(task);
        }

        void enqueue(Runnable task) {
            super.offer(task);
        }

        @Override
        public Runnable take() throws InterruptedException {
            waitingThreads.incrementAndGet();
            try {
                return super.take();
            } finally {
                waitingThreads.decrementAndGet();
            }
        }

        @Override
        public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
            waitingThreads.incrementAndGet();
            try {
                return super.poll(timeout, unit);
            } finally {
                waitingThreads.decrementAndGet();
            }
        }
    }
}
