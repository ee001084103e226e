package io.clearhouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdleFirstPoolTest {
    /** Every thread the pool started, so that the test can see which of them wait for work. */
    private final List<Thread> poolThreads = new CopyOnWriteArrayList<>();

    private final IdleFirstPool pool = new IdleFirstPool(4, 60_000, task -> {
        Thread thread = Executors.defaultThreadFactory().newThread(task);
        poolThreads.add(thread);
        return thread;
    });

    @AfterEach
    void shutDown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void reusesAnIdleThreadInsteadOfStartingAnother() throws Exception {
        for (int i = 0; i < 50; i++) {
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(done::countDown);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            awaitAllIdle();
        }

        assertThat(pool.getLargestPoolSize()).isEqualTo(1);
    }

    @Test
    void startsThreadsUpToItsMaximumWhileAllAreBusyThenQueues() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(4);
        AtomicInteger finished = new AtomicInteger();
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tasks.add(() -> {
                started.countDown();
                awaitQuietly(release);
                finished.incrementAndGet();
            });
        }
        tasks.forEach(pool::execute);

        assertThat(started.await(10, TimeUnit.SECONDS))
                .as("four tasks run at once")
                .isTrue();
        assertThat(pool.getPoolSize()).isEqualTo(4);
        assertThat(pool.getQueue()).as("the two beyond the maximum wait").hasSize(2);
        release.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(finished).hasValue(6);
    }

    @Test
    void refusesTasksOnceShutDown() {
        pool.shutdown();

        assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    }

    /**
     * Waits until every thread of the pool waits for work, so the next task finds one idle. A thread of this pool
     * parks with a deadline only in the queue's poll, whose keep-alive is that deadline, so a thread in {@code
     * TIMED_WAITING} is one the queue counts as waiting.
     */
    private void awaitAllIdle() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!poolThreads.stream().allMatch(thread -> thread.getState() == Thread.State.TIMED_WAITING)) {
            assertThat(System.nanoTime())
                    .as("the pool's thread went idle in time")
                    .isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
