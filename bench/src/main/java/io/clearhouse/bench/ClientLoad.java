package io.clearhouse.bench;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.CoordinatorCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop clients: each thread submits a transaction, waits until its outcome is durable (the moment a client
 * would be answered), and submits the next. After a warm-up the driver opens a measured window; a transaction counts
 * when its outcome arrives inside the window, and its latency, from submit to durable outcome, goes to the histogram.
 * With no warm-up the window opens before the first submission, so a count-bounded run counts every transaction.
 */
final class ClientLoad {
    private static final int WARMING = 0;
    private static final int MEASURING = 1;
    private static final int STOPPED = 2;
    private static final long LATENCY_MICROS_MAX = TimeUnit.MINUTES.toMicros(1);

    private final Coordinator coordinator;
    private final LoadSettings settings;
    private final Recorder latencies = new Recorder(LATENCY_MICROS_MAX, 3);
    private final LongAdder committed = new LongAdder();
    private final LongAdder aborted = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicLong tickets = new AtomicLong();
    private final CountDownLatch clientsDone;
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private volatile int phase = WARMING;

    private ClientLoad(Coordinator coordinator, LoadSettings settings) {
        this.coordinator = coordinator;
        this.settings = settings;
        this.clientsDone = new CountDownLatch(settings.threads());
    }

    /**
     * Runs the load and returns what the measured window saw.
     *
     * @param transactionsForThread the transaction source of client thread {@code i}, used by that thread only
     */
    static LoadResult run(
            Coordinator coordinator, LoadSettings settings, IntFunction<Supplier<Transaction>> transactionsForThread)
            throws InterruptedException {
        return new ClientLoad(coordinator, settings).drive(transactionsForThread);
    }

    private LoadResult drive(IntFunction<Supplier<Transaction>> transactionsForThread) throws InterruptedException {
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < settings.threads(); i++) {
            Supplier<Transaction> transactions = transactionsForThread.apply(i);
            clients.add(new Thread(() -> clientLoop(transactions), "client-" + i));
        }
        phase = settings.warmupMillis() == 0 ? MEASURING : WARMING;
        CoordinatorCounters before = coordinator.counters();
        long start = System.nanoTime();
        clients.forEach(Thread::start);
        if (phase == WARMING) {
            clientsDone.await(settings.warmupMillis(), TimeUnit.MILLISECONDS);
            before = coordinator.counters();
            start = System.nanoTime();
            latencies.reset();
            phase = MEASURING;
        }
        clientsDone.await(settings.measureMillis(), TimeUnit.MILLISECONDS);
        phase = STOPPED;
        long end = System.nanoTime();
        CoordinatorCounters after = coordinator.counters();
        joinAll(clients);
        return new LoadResult(
                settings.threads(),
                (end - start) / 1e9,
                committed.sum(),
                aborted.sum(),
                failed.sum(),
                firstFailure.get(),
                latencies.getIntervalHistogram(),
                before,
                after);
    }

    private void clientLoop(Supplier<Transaction> transactions) {
        try {
            runClient(transactions);
        } finally {
            clientsDone.countDown();
        }
    }

    /** Submits until the window closes or the transactions are spent; when they are, the window closes early. */
    private void runClient(Supplier<Transaction> transactions) {
        while (phase != STOPPED && tickets.getAndIncrement() < settings.transactionsMax()) {
            Transaction transaction = transactions.get();
            long start = System.nanoTime();
            Outcome outcome = awaitOutcome(transaction);
            long micros = (System.nanoTime() - start) / 1000;
            if (phase == MEASURING) {
                count(outcome, micros);
            }
        }
    }

    private Outcome awaitOutcome(Transaction transaction) {
        try {
            return coordinator
                    .submit(transaction)
                    .outcome()
                    .get(settings.outcomeTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            failed.increment();
            firstFailure.compareAndSet(null, transaction.id() + ": " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("client interrupted while waiting for " + transaction.id(), e);
        }
    }

    private void count(Outcome outcome, long micros) {
        if (outcome == null) {
            return;
        }
        latencies.recordValue(Math.min(micros, LATENCY_MICROS_MAX));
        if (outcome.isCommitted()) {
            committed.increment();
        } else {
            aborted.increment();
        }
    }

    private void joinAll(List<Thread> clients) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.outcomeTimeoutMillis() * 2);
        for (Thread client : clients) {
            client.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (client.isAlive()) {
                throw new IllegalStateException(client.getName() + " did not stop; the coordinator is stuck");
            }
        }
    }
}
