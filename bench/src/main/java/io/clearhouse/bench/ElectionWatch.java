package io.clearhouse.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Watches the survivors of a killed leader, one thread each asking {@code GET /api/cluster/self} every poll
 * interval: when one first says it leads in a newer term (elected), and when it first says it coordinates
 * (its coordinator is open: log opened for the term, recovery done). Each moment is taken when the answer arrives,
 * so it is late by at most the poll interval and one request.
 */
final class ElectionWatch implements AutoCloseable {
    /** What the watch saw: the new leader, its term, and when it was seen elected and coordinating. */
    record Seen(String leaderId, long term, long electedNanos, long coordinatingNanos) {}

    private final ClusterHttp http;
    private final List<URI> survivors;
    private final long termBefore;
    private final Duration pollInterval;
    private final CompletableFuture<Seen> coordinating = new CompletableFuture<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<URI, String> lastAnswers = new ConcurrentHashMap<>();
    private Optional<ClusterHttp.Self> elected = Optional.empty();
    private long electedNanos;
    private volatile boolean stopped;

    ElectionWatch(ClusterHttp http, List<URI> survivors, long termBefore, Duration pollInterval) {
        this.http = http;
        this.survivors = List.copyOf(survivors);
        this.termBefore = termBefore;
        this.pollInterval = pollInterval;
    }

    void start() {
        for (URI survivor : survivors) {
            Thread thread = new Thread(() -> poll(survivor), "election-watch-" + survivor.getPort());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Waits until a survivor coordinates in a newer term.
     *
     * @throws IllegalStateException if none does within {@code timeout}
     */
    Seen awaitCoordinating(Duration timeout) throws InterruptedException {
        try {
            return coordinating.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "no survivor coordinated in a term after " + termBefore + " within " + timeout
                            + "; they said last: " + lastAnswers,
                    e);
        }
    }

    private void poll(URI survivor) {
        while (!stopped && !coordinating.isDone()) {
            try {
                ClusterHttp.Self self = http.self(survivor);
                note(self, System.nanoTime());
                lastAnswers.put(
                        survivor,
                        self.role() + " in term " + self.term() + ", coordinating " + self.coordinating() + ", leader "
                                + self.leader().map(URI::toString).orElse("unknown"));
            } catch (IOException e) {
                // Busy or starting: the next poll asks again.
                lastAnswers.put(survivor, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep();
        }
    }

    private synchronized void note(ClusterHttp.Self self, long now) {
        if (!self.leads() || self.term() <= termBefore) {
            return;
        }
        if (elected.isEmpty() || elected.get().term() < self.term()) {
            elected = Optional.of(self);
            electedNanos = now;
        }
        if (self.coordinating() && self.term() == elected.get().term()) {
            coordinating.complete(new Seen(self.id(), self.term(), electedNanos, now));
        }
    }

    private void sleep() {
        try {
            TimeUnit.MILLISECONDS.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
