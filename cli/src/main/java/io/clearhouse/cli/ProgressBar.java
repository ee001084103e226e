package io.clearhouse.cli;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A one-line progress bar on standard error, drawn only on a terminal and only once a batch has run for a second,
 * so short runs and redirected output stay clean.
 */
final class ProgressBar implements AutoCloseable {
    static final long DELAY_MILLIS = 1_000;
    static final long PERIOD_MILLIS = 200;
    private static final int WIDTH = 40;

    private final PrintWriter err;
    private final IntSupplier done;
    private final int total;
    private final ScheduledExecutorService timer;
    private boolean drawn;

    private ProgressBar(PrintWriter err, IntSupplier done, int total, boolean enabled) {
        this.err = err;
        this.done = done;
        this.total = total;
        if (!enabled) {
            this.timer = null;
            return;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "progress-bar");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::draw, DELAY_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts a bar when standard error is a terminal, or returns one that draws nothing. */
    static ProgressBar startIfTerminal(PrintWriter err, IntSupplier done, int total) {
        return new ProgressBar(err, done, total, Terminal.stderrIsTerminal());
    }

    private synchronized void draw() {
        int finished = done.getAsInt();
        int filled = total == 0 ? WIDTH : (int) ((long) finished * WIDTH / total);
        int percent = total == 0 ? 100 : (int) ((long) finished * 100 / total);
        err.print("\r[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + percent + "% " + finished + "/"
                + total + " lines");
        err.flush();
        drawn = true;
    }

    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (drawn) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
