package io.clearhouse.bank.jdbc;

import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Xid;
import io.clearhouse.xa.ClearhouseXaXids;
import io.clearhouse.xa.XaBranchId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;

/**
 * The XA side of an xa bank: each branch is a transaction of the bank's database, driven through pgjdbc's {@code
 * XAResource} and prepared with {@code PREPARE TRANSACTION}. The prepared transaction moves the branch's row from HELD
 * to COMMITTED and keeps that row locked until the database commits or rolls it back; so {@code COMMIT PREPARED} is
 * the moment the bank commits, and a crash at any point leaves either a prepared transaction, listed in {@code
 * pg_prepared_xacts}, or a decided one. pgjdbc keeps one branch per connection and prepares it on the connection that
 * started it, so a branch borrows one XA connection from start to prepare.
 */
final class XaBranches implements AutoCloseable {
    private final String bankId;
    private final ConnectionPool<XAConnection> pool;
    private final LocalTransactions reads;
    private final AtomicLong forcedWrites = new AtomicLong();

    XaBranches(String bankId, ConnectionPool<XAConnection> pool, LocalTransactions reads) {
        this.bankId = bankId;
        this.pool = pool;
        this.reads = reads;
    }

    /**
     * Prepares the XA branch of a held branch: a transaction that marks it COMMITTED, ended with PREPARE TRANSACTION.
     *
     * @throws BankException when the branch is not held, or the database refuses (no prepared transaction slot left,
     *     a timeout, a lost connection); the caller then cannot tell whether the prepare happened
     */
    void prepare(Xid xid) {
        XaBranchId branch = ClearhouseXaXids.toXa(xid);
        XAConnection connection = pool.borrow();
        try {
            XAResource resource = connection.getXAResource();
            resource.start(branch, XAResource.TMNOFLAGS);
            markCommitted(connection.getConnection(), xid);
            resource.end(branch, XAResource.TMSUCCESS);
            int result = resource.prepare(branch);
            if (result != XAResource.XA_OK) {
                throw new IllegalStateException("the branch changed a row, yet its prepare answered " + result);
            }
            forcedWrites.incrementAndGet();
            pool.release(connection);
        } catch (XAException | SQLException | RuntimeException e) {
            pool.discard(connection);
            if (e instanceof IllegalStateException broken) {
                throw broken;
            }
            throw failure("preparing XA branch " + BranchGids.gid(xid), e);
        }
    }

    private void markCommitted(Connection connection, Xid xid) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE branch SET state = 'COMMITTED'"
                + " WHERE transaction_id = ? AND bank_id = ? AND state = 'HELD'")) {
            statement.setString(1, xid.transactionId());
            statement.setString(2, xid.bankId());
            if (statement.executeUpdate() != 1) {
                throw new IllegalStateException("branch " + xid + " is not held; its XA branch cannot be prepared");
            }
        }
    }

    /** Commits a prepared XA branch: {@code COMMIT PREPARED}, after which its row reads COMMITTED. */
    void commit(Xid xid) {
        finish(xid, true);
    }

    /** Rolls back a prepared XA branch: {@code ROLLBACK PREPARED}, after which its row reads HELD again. */
    void rollback(Xid xid) {
        finish(xid, false);
    }

    private void finish(Xid xid, boolean commit) {
        XaBranchId branch = ClearhouseXaXids.toXa(xid);
        XAConnection connection = pool.borrow();
        try {
            XAResource resource = connection.getXAResource();
            if (commit) {
                resource.commit(branch, false);
            } else {
                resource.rollback(branch);
            }
            forcedWrites.incrementAndGet();
            pool.release(connection);
        } catch (XAException | SQLException | RuntimeException e) {
            pool.discard(connection);
            throw failure((commit ? "committing" : "rolling back") + " XA branch " + BranchGids.gid(xid), e);
        }
    }

    /** Which of {@code xids} have a prepared transaction in the database. */
    Set<Xid> preparedAmong(Collection<Xid> xids) {
        List<String> gids = new ArrayList<>(xids.size());
        for (Xid xid : xids) {
            gids.add(BranchGids.gid(xid));
        }
        return reads.read("reading pg_prepared_xacts", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT gid FROM pg_prepared_xacts" + " WHERE database = current_database() AND gid = ANY(?)")) {
                statement.setArray(1, connection.createArrayOf("text", gids.toArray()));
                return xidsOf(statement);
            }
        });
    }

    /** This bank's prepared branches, as {@code pg_prepared_xacts} lists them in the bank's database. */
    Set<Xid> prepared() {
        return reads.read("reading pg_prepared_xacts", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT gid FROM pg_prepared_xacts" + " WHERE database = current_database() AND gid LIKE ?")) {
                statement.setString(1, BranchGids.prefix() + "%");
                return xidsOf(statement);
            }
        });
    }

    private Set<Xid> xidsOf(PreparedStatement statement) throws SQLException {
        Set<Xid> xids = new HashSet<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                BranchGids.parse(rows.getString(1), bankId).ifPresent(xids::add);
            }
        }
        return xids;
    }

    private BankException failure(String what, Exception e) {
        String detail = e instanceof XAException xa
                ? "XA error " + xa.errorCode
                        + (xa.getCause() == null ? "" : ": " + xa.getCause().getMessage())
                : LocalTransactions.describe(e);
        return new BankException(bankId, what + " failed: " + detail, e);
    }

    /** PREPARE, COMMIT PREPARED and ROLLBACK PREPARED statements run: each forces the server's WAL. */
    long forcedWrites() {
        return forcedWrites.get();
    }

    @Override
    public void close() {
        pool.close();
    }
}
