package io.clearhouse.bank.jdbc;

import io.clearhouse.spi.BankException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A bounded pool of a bank's database connections (plain or XA), opened on first need and kept open. A call waits
 * at most {@code waitMillis} for one; a connection that failed is closed instead of handed out again. Small on
 * purpose: a bank needs a few connections, and a general pool would be one more dependency for adapter users.
 *
 * @param <C> the kind of connection
 */
final class ConnectionPool<C> implements AutoCloseable {
    /** Opens a connection. */
    interface Opener<C> {
        C open() throws SQLException;
    }

    /** Closes a connection. */
    interface Closer<C> {
        void close(C connection) throws SQLException;
    }

    private final String bankId;
    private final Opener<C> opener;
    private final Closer<C> closer;
    private final Semaphore permits;
    private final long waitMillis;
    private final Deque<C> idle = new ArrayDeque<>();
    private boolean closed;

    ConnectionPool(String bankId, int connectionsMax, long waitMillis, Opener<C> opener, Closer<C> closer) {
        this.bankId = bankId;
        this.opener = opener;
        this.closer = closer;
        this.permits = new Semaphore(connectionsMax, true);
        this.waitMillis = waitMillis;
    }

    /**
     * A connection for the caller alone, until it hands it back with {@link #release} or {@link #discard}.
     *
     * @throws BankException when none is free within the wait, or a new one cannot be opened
     */
    C borrow() {
        acquirePermit();
        C connection;
        synchronized (this) {
            if (closed) {
                permits.release();
                throw new BankException(bankId, "the bank is closed");
            }
            connection = idle.pollFirst();
        }
        if (connection != null) {
            return connection;
        }
        try {
            return opener.open();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw new BankException(bankId, "cannot connect to the bank's database: " + e.getMessage(), e);
        }
    }

    private void acquirePermit() {
        try {
            if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw new BankException(bankId, "no database connection free within " + waitMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BankException(bankId, "interrupted while waiting for a database connection", e);
        }
    }

    /** Hands back a connection in good order, for the next caller. */
    void release(C connection) {
        boolean keep;
        synchronized (this) {
            keep = !closed;
            if (keep) {
                idle.addFirst(connection);
            }
        }
        if (!keep) {
            closeQuietly(connection);
        }
        permits.release();
    }

    /** Closes a connection that failed or whose state is unknown, so nobody uses it again. */
    void discard(C connection) {
        closeQuietly(connection);
        permits.release();
    }

    private void closeQuietly(C connection) {
        try {
            closer.close(connection);
        } catch (SQLException | RuntimeException e) {
            // The connection is dropped either way; the server ends its session when the socket closes.
        }
    }

    /** Closes the idle connections; those still borrowed are closed when they come back. */
    @Override
    public void close() {
        Deque<C> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayDeque<>(idle);
            idle.clear();
        }
        toClose.forEach(this::closeQuietly);
    }
}
