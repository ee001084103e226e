package io.clearhouse.bench;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.CoordinatorCounters;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * Closed-loop clients: each submits a transaction, waits until its outcome is durable (the moment a client would be
 * answered), and submits the next; a client is a thread or a chain of callbacks ({@link ClientMode}). After a warm-up
 * the driver opens a measured window; a transaction counts when its outcome arrives inside the window, and its
 * latency, from submit to durable outcome, goes to the histogram.
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
    private final Map<Reason, LongAdder> abortedByReason = new ConcurrentHashMap<>();
    private final LongAdder failed = new LongAdder();
    private final AtomicLong tickets = new AtomicLong();
    private final CountDownLatch clientsDone;
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private volatile int phase = WARMING;

    private ClientLoad(Coordinator coordinator, LoadSettings settings) {
        this.coordinator = coordinator;
        this.settings = settings;
        this.clientsDone = new CountDownLatch(settings.clients());
    }

    /**
     * Runs the load and returns what the measured window saw.
     *
     * @param transactionsForClient the transaction source of client {@code i}, used by that client only, one call at
     *     a time
     */
    static LoadResult run(
            Coordinator coordinator, LoadSettings settings, IntFunction<Supplier<Transaction>> transactionsForClient)
            throws InterruptedException {
        return new ClientLoad(coordinator, settings).drive(transactionsForClient);
    }

    private LoadResult drive(IntFunction<Supplier<Transaction>> transactionsForClient) throws InterruptedException {
        List<Supplier<Transaction>> sources = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < settings.clients(); i++) {
            Supplier<Transaction> transactions = transactionsForClient.apply(i);
            sources.add(transactions);
            if (settings.mode() == ClientMode.THREADS) {
                threads.add(new Thread(() -> clientLoop(transactions), "client-" + i));
            }
        }
        phase = settings.warmupMillis() == 0 ? MEASURING : WARMING;
        CoordinatorCounters before = coordinator.counters();
        long start = System.nanoTime();
        long cpuBefore = ProcessCpu.nanos();
        if (settings.mode() == ClientMode.THREADS) {
            threads.forEach(Thread::start);
        } else {
            sources.forEach(this::submitChained);
        }
        if (phase == WARMING) {
            clientsDone.await(settings.warmupMillis(), TimeUnit.MILLISECONDS);
            before = coordinator.counters();
            start = System.nanoTime();
            cpuBefore = ProcessCpu.nanos();
            latencies.reset();
            phase = MEASURING;
        }
        clientsDone.await(settings.measureMillis(), TimeUnit.MILLISECONDS);
        phase = STOPPED;
        long end = System.nanoTime();
        long cpuNanos = ProcessCpu.nanos() - cpuBefore;
        CoordinatorCounters after = coordinator.counters();
        awaitClients(threads);
        return new LoadResult(
                settings.clients(),
                settings.mode(),
                (end - start) / 1e9,
                committed.sum(),
                aborted.sum(),
                abortCounts(),
                failed.sum(),
                firstFailure.get(),
                latencies.getIntervalHistogram(),
                cpuNanos,
                before,
                after);
    }

    /**
     * Submits a client's transactions until one is left to complete later, whose completion carries on from here;
     * those that complete at once are taken in this loop, so a coordinator that completes on the submitting thread
     * never deepens the stack.
     */
    private void submitChained(Supplier<Transaction> transactions) {
        try {
            while (mayStartAnother()) {
                Transaction transaction = transactions.get();
                long start = System.nanoTime();
                CompletableFuture<Outcome> outcome =
                        coordinator.submit(transaction).outcome();
                if (!outcome.isDone()) {
                    outcome.whenComplete((given, failure) -> {
                        countChained(transaction, given, failure, start);
                        submitChained(transactions);
                    });
                    return;
                }
                // Done already: the callback runs here and now.
                outcome.whenComplete((given, failure) -> countChained(transaction, given, failure, start));
            }
        } catch (RuntimeException e) {
            recordFailure("submit", e);
        }
        clientsDone.countDown();
    }

    /** Whether a client may submit one more: the window is open and a transaction is left, which this takes. */
    private boolean mayStartAnother() {
        return phase != STOPPED && tickets.getAndIncrement() < settings.transactionsMax();
    }

    private void countChained(Transaction transaction, Outcome given, Throwable failure, long start) {
        if (failure != null) {
            recordFailure(transaction.id(), failure);
        } else {
            finished(given, start);
        }
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
        while (mayStartAnother()) {
            Transaction transaction = transactions.get();
            long start = System.nanoTime();
            finished(awaitOutcome(transaction), start);
        }
    }

    private Outcome awaitOutcome(Transaction transaction) {
        try {
            return coordinator
                    .submit(transaction)
                    .outcome()
                    .get(settings.outcomeTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            recordFailure(transaction.id(), e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("client interrupted while waiting for " + transaction.id(), e);
        }
    }

    private void recordFailure(String what, Throwable failure) {
        failed.increment();
        firstFailure.compareAndSet(null, what + ": " + failure);
    }

    /** Counts an outcome that arrived in the measured window, with its latency from {@code start}. */
    private void finished(Outcome outcome, long start) {
        long micros = (System.nanoTime() - start) / 1000;
        if (phase == MEASURING) {
            count(outcome, micros);
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
            abortedByReason
                    .computeIfAbsent(outcome.reason(), any -> new LongAdder())
                    .increment();
        }
    }

    private Map<Reason, Long> abortCounts() {
        Map<Reason, Long> counts = new EnumMap<>(Reason.class);
        abortedByReason.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }

    /** Waits for every client to stop; a client that never hears from its last transaction means a stuck engine. */
    private void awaitClients(List<Thread> threads) throws InterruptedException {
        if (!clientsDone.await(settings.outcomeTimeoutMillis() * 2, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(clientsDone.getCount() + " clients did not stop; the coordinator is stuck");
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
