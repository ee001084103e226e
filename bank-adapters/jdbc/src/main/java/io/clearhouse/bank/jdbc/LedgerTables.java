package io.clearhouse.bank.jdbc;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.Xid;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL of the ledger's three tables ({@code account}, {@code branch}, {@code branch_posting}), one method per
 * statement, on a connection the caller holds. The connection's search path is the bank's schema. Statements take
 * many rows at once (arrays, batches), so that a message of many branches costs a few round trips, not one per branch.
 */
final class LedgerTables {
    private final int bankLockKey;

    /** @param bankId the bank, whose id keys its advisory locks apart from other banks in the same database */
    LedgerTables(String bankId) {
        this.bankLockKey = bankId.hashCode();
    }

    /**
     * Takes a transaction-scoped advisory lock per xid, in one order for every transaction, so that concurrent calls
     * for one xid (a duplicated message) run one after the other and see each other's result, while calls for other
     * xids pass. Called before any row lock, which keeps the lock order xids, then accounts.
     */
    void lockXids(Connection connection, Collection<Xid> xids) throws SQLException {
        int[] keys = xids.stream().mapToInt(Xid::hashCode).sorted().distinct().toArray();
        Integer[] boxed = new Integer[keys.length];
        for (int i = 0; i < keys.length; i++) {
            boxed[i] = keys[i];
        }
        // A function scan returns an array's elements in order, so the locks are taken in the order sorted above.
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(pg_advisory_xact_lock(?, key)) FROM unnest(?::int[]) AS key")) {
            statement.setInt(1, bankLockKey);
            statement.setArray(2, connection.createArrayOf("int4", boxed));
            statement.executeQuery().close();
        }
    }

    /** The states of those of {@code xids} the bank has a row for. */
    Map<Xid, BranchState> states(Connection connection, Collection<Xid> xids) throws SQLException {
        Map<Xid, BranchState> states = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT b.transaction_id, b.bank_id, b.state"
                + " FROM branch b JOIN unnest(?::text[], ?::text[]) AS x(transaction_id, bank_id)"
                + " USING (transaction_id, bank_id)")) {
            setXids(connection, statement, 1, xids);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    states.put(new Xid(rows.getString(1), rows.getString(2)), BranchState.valueOf(rows.getString(3)));
                }
            }
        }
        return states;
    }

    /** The xids of every branch in {@code state}. */
    List<Xid> inState(Connection connection, BranchState state) throws SQLException {
        List<Xid> xids = new ArrayList<>();
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT transaction_id, bank_id FROM branch WHERE state = ?")) {
            statement.setString(1, state.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    xids.add(new Xid(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return xids;
    }

    /**
     * Locks the rows of {@code accounts} that exist, in id order (the sort runs below the row locks, so every
     * transaction takes them in the same order and none can wait for another in a cycle), and returns them.
     */
    Map<String, AccountRow> lockAccounts(Connection connection, Set<String> accounts) throws SQLException {
        Map<String, AccountRow> rows = new HashMap<>();
        if (accounts.isEmpty()) {
            return rows;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, posted, held, credit_reserved FROM account WHERE id = ANY(?) ORDER BY id FOR UPDATE")) {
            statement.setArray(1, connection.createArrayOf("text", accounts.toArray()));
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    String id = result.getString(1);
                    rows.put(id, new AccountRow(id, result.getLong(2), result.getLong(3), result.getLong(4)));
                }
            }
        }
        return rows;
    }

    void writeAccounts(Connection connection, List<AccountRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE account SET posted = ?, held = ?, credit_reserved = ? WHERE id = ?")) {
            for (AccountRow row : rows) {
                statement.setLong(1, row.posted());
                statement.setLong(2, row.held());
                statement.setLong(3, row.creditReserved());
                statement.setString(4, row.id());
                statement.addBatch();
            }
            checkEveryRow(statement.executeBatch(), "account update");
        }
    }

    /** Inserts branches in state HELD with their postings. */
    void insertHeld(Connection connection, Map<Xid, List<Posting>> branches) throws SQLException {
        try (PreparedStatement branch = connection.prepareStatement(
                        "INSERT INTO branch (transaction_id, bank_id, state) VALUES (?, ?, 'HELD')");
                PreparedStatement posting = connection.prepareStatement("INSERT INTO branch_posting"
                        + " (transaction_id, bank_id, account, amount) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<Xid, List<Posting>> entry : branches.entrySet()) {
                Xid xid = entry.getKey();
                branch.setString(1, xid.transactionId());
                branch.setString(2, xid.bankId());
                branch.addBatch();
                for (Posting each : entry.getValue()) {
                    posting.setString(1, xid.transactionId());
                    posting.setString(2, xid.bankId());
                    posting.setString(3, each.account());
                    posting.setLong(4, each.amount());
                    posting.addBatch();
                }
            }
            checkEveryRow(branch.executeBatch(), "branch insert");
            checkEveryRow(posting.executeBatch(), "posting insert");
        }
    }

    /** Inserts branches rolled back before the bank saw them, so that their late prepares abort. */
    void insertRolledBack(Connection connection, Collection<Xid> xids) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("INSERT INTO branch (transaction_id, bank_id, state, finished_at)"
                        + " SELECT transaction_id, bank_id, 'ROLLED_BACK', now()"
                        + " FROM unnest(?::text[], ?::text[]) AS x(transaction_id, bank_id)")) {
            setXids(connection, statement, 1, xids);
            statement.executeUpdate();
        }
    }

    /** The postings of {@code xids}, each list in account order. */
    Map<Xid, List<Posting>> postings(Connection connection, Collection<Xid> xids) throws SQLException {
        Map<Xid, List<Posting>> postings = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT p.transaction_id, p.bank_id,"
                + " p.account, p.amount FROM branch_posting p"
                + " JOIN unnest(?::text[], ?::text[]) AS x(transaction_id, bank_id) USING (transaction_id, bank_id)"
                + " ORDER BY p.account")) {
            setXids(connection, statement, 1, xids);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    postings.computeIfAbsent(new Xid(rows.getString(1), rows.getString(2)), key -> new ArrayList<>())
                            .add(new Posting(rows.getString(3), rows.getLong(4)));
                }
            }
        }
        return postings;
    }

    /** Moves {@code xids} to a final state and drops their postings, which nothing needs any more. */
    void finish(Connection connection, Collection<Xid> xids, BranchState state) throws SQLException {
        if (!state.isFinished()) {
            throw new IllegalStateException("not a final state: " + state);
        }
        try (PreparedStatement postings = connection.prepareStatement("DELETE FROM branch_posting p"
                        + " USING unnest(?::text[], ?::text[]) AS x(transaction_id, bank_id)"
                        + " WHERE p.transaction_id = x.transaction_id AND p.bank_id = x.bank_id");
                PreparedStatement branches = connection.prepareStatement("UPDATE branch b"
                        + " SET state = ?, finished_at = now()"
                        + " FROM unnest(?::text[], ?::text[]) AS x(transaction_id, bank_id)"
                        + " WHERE b.transaction_id = x.transaction_id AND b.bank_id = x.bank_id")) {
            setXids(connection, postings, 1, xids);
            postings.executeUpdate();
            branches.setString(1, state.name());
            setXids(connection, branches, 2, xids);
            int updated = branches.executeUpdate();
            if (updated != xids.size()) {
                throw new IllegalStateException("finished " + updated + " of " + xids.size() + " branches");
            }
        }
    }

    /** Forgets at most {@code limit} branches finished before the retention, returning how many. */
    int purgeFinished(Connection connection, long retentionSeconds, int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM branch WHERE ctid IN"
                + " (SELECT ctid FROM branch WHERE finished_at < now() - make_interval(secs => ?) LIMIT ?)")) {
            statement.setLong(1, retentionSeconds);
            statement.setInt(2, limit);
            return statement.executeUpdate();
        }
    }

    /** Every account's posted balance, in the order the accounts were opened. */
    Map<String, Long> postedBalances(Connection connection) throws SQLException {
        Map<String, Long> balances = new LinkedHashMap<>();
        try (PreparedStatement statement =
                        connection.prepareStatement("SELECT id, posted FROM account ORDER BY position");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                balances.put(rows.getString(1), rows.getLong(2));
            }
        }
        return balances;
    }

    Optional<AccountBalance> account(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT posted, held FROM account WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet row = statement.executeQuery()) {
                return row.next()
                        ? Optional.of(new AccountBalance(id, row.getLong(1), row.getLong(2)))
                        : Optional.empty();
            }
        }
    }

    /**
     * Inserts the opening balances if the account table is empty, under a table lock so that two banks opening the
     * same database at once cannot both do it; a table that holds accounts keeps them. Returns whether it inserted.
     */
    boolean openAccountsIfEmpty(Connection connection, Map<String, Long> openingBalances) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("LOCK TABLE account IN EXCLUSIVE MODE");
                PreparedStatement any = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM account)")) {
            lock.execute();
            try (ResultSet row = any.executeQuery()) {
                row.next();
                if (row.getBoolean(1) || openingBalances.isEmpty()) {
                    return false;
                }
            }
        }
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO account (id, position, posted) VALUES (?, ?, ?)")) {
            int position = 0;
            for (Map.Entry<String, Long> account : openingBalances.entrySet()) {
                insert.setString(1, account.getKey());
                insert.setInt(2, position++);
                insert.setLong(3, account.getValue());
                insert.addBatch();
            }
            checkEveryRow(insert.executeBatch(), "account insert");
        }
        return true;
    }

    private static void setXids(Connection connection, PreparedStatement statement, int index, Collection<Xid> xids)
            throws SQLException {
        List<String> transactions = new ArrayList<>(xids.size());
        List<String> banks = new ArrayList<>(xids.size());
        for (Xid xid : xids) {
            transactions.add(xid.transactionId());
            banks.add(xid.bankId());
        }
        Array transactionArray = connection.createArrayOf("text", transactions.toArray());
        Array bankArray = connection.createArrayOf("text", banks.toArray());
        statement.setArray(index, transactionArray);
        statement.setArray(index + 1, bankArray);
    }

    private static void checkEveryRow(int[] counts, String what) {
        for (int count : counts) {
            // The driver may report SUCCESS_NO_INFO (-2) for rewritten batches; anything else must be one row.
            if (count != 1 && count != PreparedStatement.SUCCESS_NO_INFO) {
                throw new IllegalStateException(what + " changed " + count + " rows instead of one");
            }
        }
    }
}
