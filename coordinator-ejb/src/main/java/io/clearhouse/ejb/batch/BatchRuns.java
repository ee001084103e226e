package io.clearhouse.ejb.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The server's ledger of batches posted with an idempotency key, in its PostgreSQL database: which server instance
 * runs a key's batch, and the answer once it has run. Each statement commits on its own, so a claim is visible to
 * every request the moment it is made, and a key's row moves only from RUNNING to DONE (or back to no row when a run
 * fails before it decided anything it could not decide again).
 */
public final class BatchRuns {
    private static final String MIGRATIONS = "classpath:io/clearhouse/ejb/migration";
    private static final String HISTORY_TABLE = "server_schema_history";

    private final DataSource dataSource;
    private final String runner = UUID.randomUUID().toString();

    private BatchRuns(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates or upgrades the ledger's table (its own Flyway history beside the decision log's), then opens it. */
    public static BatchRuns open(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        return new BatchRuns(dataSource);
    }

    /**
     * Claims {@code key} for a run of the body whose SHA-256 is {@code bodyHash}, or says why not. A key left RUNNING
     * by another server instance (one that stopped mid-run) is taken over: its transactions are decided in the
     * decision log under the key's namespace, so running the batch again answers them from there.
     */
    public BatchRunClaim claim(String key, byte[] bodyHash) {
        try (Connection connection = dataSource.getConnection()) {
            for (int attempt = 0; attempt < 2; attempt++) {
                if (insertRunning(connection, key, bodyHash)) {
                    return new BatchRunClaim.Run();
                }
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT body_sha256, runner, state, answer_gzip FROM batch_run WHERE idempotency_key = ?")) {
                    select.setString(1, key);
                    try (ResultSet row = select.executeQuery()) {
                        if (!row.next()) {
                            continue; // The run that held it failed and let it go between our two statements.
                        }
                        if (!Arrays.equals(row.getBytes("body_sha256"), bodyHash)) {
                            return new BatchRunClaim.OtherBody();
                        }
                        if (row.getString("state").equals("DONE")) {
                            return new BatchRunClaim.Answered(row.getBytes("answer_gzip"));
                        }
                        String holder = row.getString("runner");
                        if (holder.equals(runner) || !takeOver(connection, key, holder)) {
                            return new BatchRunClaim.InProgress();
                        }
                        return new BatchRunClaim.Run();
                    }
                }
            }
            return new BatchRunClaim.InProgress();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the batch ledger for idempotency key " + key, e);
        }
    }

    private boolean insertRunning(Connection connection, String key, byte[] bodyHash) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO batch_run (idempotency_key, body_sha256, runner, state, started_at)"
                        + " VALUES (?, ?, ?, 'RUNNING', now()) ON CONFLICT (idempotency_key) DO NOTHING")) {
            insert.setString(1, key);
            insert.setBytes(2, bodyHash);
            insert.setString(3, runner);
            return insert.executeUpdate() == 1;
        }
    }

    private boolean takeOver(Connection connection, String key, String formerRunner) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE batch_run SET runner = ?, started_at = now()"
                        + " WHERE idempotency_key = ? AND runner = ? AND state = 'RUNNING'")) {
            update.setString(1, runner);
            update.setString(2, key);
            update.setString(3, formerRunner);
            return update.executeUpdate() == 1;
        }
    }

    /** Keeps the answer of the key's run, which every later claim of the key with the same body gets. */
    public void complete(String key, byte[] answerGzip) {
        update(
                "UPDATE batch_run SET state = 'DONE', answer_gzip = ?, finished_at = now()"
                        + " WHERE idempotency_key = ? AND runner = ? AND state = 'RUNNING'",
                key,
                answerGzip);
    }

    /**
     * Lets the key go after a run that failed (the coordinator unavailable, say): a retry runs the batch again under
     * the same namespace, where the transactions the failed run decided answer from the decision log.
     */
    public void release(String key) {
        update("DELETE FROM batch_run WHERE idempotency_key = ? AND runner = ? AND state = 'RUNNING'", key, null);
    }

    /**
     * Deletes the answers of the runs that finished before {@code cutoff}, the decision log's retention: a retry of
     * such a key runs its batch again, as a retry of a pruned transaction id does.
     *
     * @return how many answers were deleted
     */
    public long pruneFinishedBefore(Instant cutoff) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM batch_run WHERE state = 'DONE' AND finished_at < ?")) {
            delete.setTimestamp(1, Timestamp.from(cutoff));
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prune the batch ledger", e);
        }
    }

    private void update(String sql, String key, byte[] answerGzip) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            if (answerGzip != null) {
                statement.setBytes(index++, answerGzip);
            }
            statement.setString(index++, key);
            statement.setString(index, runner);
            if (statement.executeUpdate() != 1) {
                throw new IllegalStateException(
                        "the batch ledger no longer holds idempotency key " + key + " as running on this server");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the batch ledger for idempotency key " + key, e);
        }
    }
}
