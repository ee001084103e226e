package io.clearhouse.bank.jdbc;

import io.clearhouse.spi.BankException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs work in local transactions of the bank's database, one pooled connection each. A transaction commits only
 * when the work returns; PostgreSQL's synchronous commit makes it durable before {@code commit()} returns, which is
 * what a COMMIT vote needs. A failure becomes a {@link BankException} naming the bank, and the connection is dropped,
 * since after a lost connection or a timeout its state is unknown.
 */
final class LocalTransactions implements AutoCloseable {
    /** Work on a connection inside a transaction. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final String bankId;
    private final ConnectionPool<Connection> pool;
    private final AtomicLong commits = new AtomicLong();

    LocalTransactions(String bankId, ConnectionPool<Connection> pool) {
        this.bankId = bankId;
        this.pool = pool;
    }

    /** Runs {@code work} in one transaction and commits it; {@code what} names the work in a failure's message. */
    <T> T inTransaction(String what, Work<T> work) {
        Connection connection = pool.borrow();
        try {
            connection.setAutoCommit(false);
            T result = work.run(connection);
            connection.commit();
            connection.setAutoCommit(true);
            commits.incrementAndGet();
            pool.release(connection);
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackAndDiscard(connection, e);
            if (e instanceof IllegalStateException broken) {
                throw broken;
            }
            if (e instanceof BankException bankFailure) {
                throw bankFailure;
            }
            throw new BankException(bankId, what + " failed: " + describe(e), e);
        }
    }

    /** Runs {@code work} outside a transaction of its own (each statement commits by itself), for reads. */
    <T> T read(String what, Work<T> work) {
        Connection connection = pool.borrow();
        try {
            T result = work.run(connection);
            pool.release(connection);
            return result;
        } catch (SQLException | RuntimeException e) {
            pool.discard(connection);
            throw new BankException(bankId, what + " failed: " + describe(e), e);
        }
    }

    private void rollbackAndDiscard(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
        pool.discard(connection);
    }

    static String describe(Exception e) {
        return e instanceof SQLException sql && sql.getSQLState() != null
                ? e.getMessage() + " (SQLSTATE " + sql.getSQLState() + ")"
                : String.valueOf(e.getMessage());
    }

    /** Transactions committed since the bank opened: each is one forced write of the server's WAL. */
    long commits() {
        return commits.get();
    }

    @Override
    public void close() {
        pool.close();
    }
}
