package io.clearhouse.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps one node running until the cluster shuts down: starts it, prints its ready line when it answers with its
 * own process id, and when the process ends on its own (a crash, a kill), starts it again after the restart delay;
 * the new process rejoins the Raft group from its storage. When the cluster shuts down it stops the node it started
 * (SIGTERM, then SIGKILL after the stop timeout), so that each node stops on its own thread, all at once.
 */
final class ClusterNodeSupervisor implements Runnable {
    private static final Duration START_FAILURE_DELAY_MIN = Duration.ofSeconds(1);

    private final ClusterNodeSpec spec;
    private final Timing timing;
    private final CompletableFuture<?> shutdown;
    private final ClusterConsole console;
    private final CompletableFuture<ClusterNodeStatus> firstReady = new CompletableFuture<>();
    private volatile Optional<ClusterNodeProcess> current = Optional.empty();

    /**
     * The supervisor's bounds.
     *
     * @param restartDelay how long to wait before starting a node whose process ended
     * @param readyTimeout how long a started node may take to answer before a warning
     * @param stopTimeout how long a node may take to stop before it is killed
     */
    record Timing(Duration restartDelay, Duration readyTimeout, Duration stopTimeout) {}

    ClusterNodeSupervisor(ClusterNodeSpec spec, Timing timing, CompletableFuture<?> shutdown, ClusterConsole console) {
        this.spec = spec;
        this.timing = timing;
        this.shutdown = shutdown;
        this.console = console;
    }

    ClusterNodeSpec spec() {
        return spec;
    }

    /** Completes with the node's status the first time it is ready. */
    CompletableFuture<ClusterNodeStatus> firstReady() {
        return firstReady;
    }

    /** The node's process now, if one is running. */
    Optional<ClusterNodeProcess> current() {
        return current.filter(ClusterNodeProcess::isAlive);
    }

    @Override
    public void run() {
        try {
            while (!shutdown.isDone()) {
                Optional<ClusterNodeProcess> started = startNode();
                if (started.isPresent()) {
                    superviseUntilItEnds(started.get());
                }
                if (!shutdown.isDone()) {
                    awaitShutdown(started.isPresent() ? timing.restartDelay() : startFailureDelay());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            current.ifPresent(ClusterNodeProcess::kill);
        }
    }

    private Optional<ClusterNodeProcess> startNode() {
        try {
            ClusterNodeProcess node = ClusterNodeProcess.start(spec);
            current = Optional.of(node);
            return current;
        } catch (IOException e) {
            console.note("node " + spec.id() + " cannot be started: " + e.getMessage() + "; trying again in "
                    + startFailureDelay().toSeconds() + " s");
            return Optional.empty();
        }
    }

    /** Waits for the node to be ready and then for its end; stops it if the cluster shuts down first. */
    private void superviseUntilItEnds(ClusterNodeProcess node) throws InterruptedException {
        try {
            Optional<ClusterNodeStatus> ready = node.awaitReady(timing.readyTimeout(), shutdown::isDone);
            if (ready.isPresent()) {
                console.nodeReady(spec, node.pid());
                firstReady.complete(ready.get());
            } else if (node.isAlive() && !shutdown.isDone()) {
                console.note("node " + spec.id() + " (pid " + node.pid() + ") is not ready after "
                        + timing.readyTimeout().toSeconds() + " s; see "
                        + spec.files().serverLog());
            }
            CompletableFuture.anyOf(node.onExit(), shutdown).join();
        } finally {
            if (node.isAlive()) {
                node.stop(timing.stopTimeout());
            }
        }
        if (!shutdown.isDone()) {
            console.note("node " + spec.id() + " (pid " + node.pid() + ") ended with exit code "
                    + node.onExit().join().exitValue() + "; starting it again in "
                    + timing.restartDelay().toSeconds() + " s (its log: "
                    + spec.files().serverLog() + ")");
        }
    }

    private void awaitShutdown(Duration delay) throws InterruptedException {
        try {
            shutdown.get(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // The delay has passed (or the shutdown failed, which ends the loop as well).
        }
    }

    /** A node that cannot even be started waits at least a second before the next try, so that it does not spin. */
    private Duration startFailureDelay() {
        return timing.restartDelay().compareTo(START_FAILURE_DELAY_MIN) < 0
                ? START_FAILURE_DELAY_MIN
                : timing.restartDelay();
    }
}
