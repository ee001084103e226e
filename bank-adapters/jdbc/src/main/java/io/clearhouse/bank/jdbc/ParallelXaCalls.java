package io.clearhouse.bank.jdbc;

import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs the XA calls of one message's branches side by side, one connection each. Every PREPARE TRANSACTION and COMMIT
 * PREPARED waits for its own WAL flush; made one after the other, a message of 25 branches waited for 25 flushes in
 * a row (176 transfers/s with 64 clients), while concurrent ones share PostgreSQL's flushes. The calling thread makes
 * one of the calls itself, so a message of one branch costs no hand-off; at most as many run at once as the bank has
 * connections, since each holds one for the call.
 */
final class ParallelXaCalls implements AutoCloseable {
    private final String bankId;
    private final ExecutorService threads;

    ParallelXaCalls(String bankId, int connectionsMax) {
        this.bankId = bankId;
        AtomicInteger number = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(Math.max(1, connectionsMax - 1), call -> {
            Thread thread = new Thread(call, "jdbc-bank-" + bankId + "-xa-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Applies {@code call} to every xid and returns once all calls have ended; when any failed, throws the first
     * failure with the others suppressed, after every call has ended, so that none is still running for its caller.
     */
    void forEach(List<Xid> xids, Consumer<Xid> call) {
        if (xids.isEmpty()) {
            return;
        }
        if (xids.size() == 1) {
            call.accept(xids.get(0));
            return;
        }
        List<CompletableFuture<Void>> others = new ArrayList<>(xids.size() - 1);
        for (Xid xid : xids.subList(1, xids.size())) {
            others.add(CompletableFuture.runAsync(() -> call.accept(xid), threads));
        }
        List<RuntimeException> failures = new ArrayList<>();
        try {
            call.accept(xids.get(0));
        } catch (RuntimeException e) {
            failures.add(e);
        }
        for (CompletableFuture<Void> other : others) {
            try {
                other.join();
            } catch (CompletionException e) {
                failures.add(e.getCause() instanceof RuntimeException cause ? cause : e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first instanceof BankException ? first : new BankException(bankId, "an XA call failed", first);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
