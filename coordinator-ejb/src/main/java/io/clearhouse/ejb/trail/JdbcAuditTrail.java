package io.clearhouse.ejb.trail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The audit trail in the table {@code clearhouse_audit.manual_action} of the server's PostgreSQL, through the
 * container's data source, each statement committed on its own. An action is written twice: {@link #begin} before
 * it is taken, so that no action goes unrecorded even if the server dies while it runs (its result then stays
 * {@link AuditEntry#STARTED}), and {@link #finish} with its result before the API answers.
 *
 * <p>The table is created on first use rather than at start, so that a node whose settings name no reachable
 * database (a node of a cluster, whose decision log is Raft's) starts all the same; its schema and its Flyway
 * history are its own, beside the decision log's. Thread-safe.
 */
public final class JdbcAuditTrail {
    static final String MIGRATIONS = "classpath:io/clearhouse/ejb/trail/migration";
    static final String HISTORY_TABLE = "audit_trail_schema_history";
    /**
     * A schema of its own, which Flyway creates: in the decision log's, whichever of the two Flyway histories came
     * second would find a schema that is not empty and refuse to migrate it.
     */
    static final String SCHEMA = "clearhouse_audit";

    private static final String TABLE = SCHEMA + ".manual_action";

    private final DataSource dataSource;
    private final Clock clock;
    private volatile boolean migrated;

    public JdbcAuditTrail(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    JdbcAuditTrail(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Appends an action about to be taken, with the result {@link AuditEntry#STARTED}, and answers its id.
     *
     * @param transactionId null, as {@code bank}, {@code outcome} and {@code reason}, where it does not apply
     */
    public long begin(
            String actor, AuditAction action, String transactionId, String bank, String outcome, String reason) {
        String insert = "INSERT INTO " + TABLE + " (at, actor, action, transaction_id, bank, outcome, reason, result)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
        try (Connection connection = connection();
                PreparedStatement statement = connection.prepareStatement(insert)) {
            statement.setTimestamp(1, Timestamp.from(clock.instant()));
            statement.setString(2, actor);
            statement.setString(3, action.code());
            setNullable(statement, 4, transactionId);
            setNullable(statement, 5, bank);
            setNullable(statement, 6, outcome);
            setNullable(statement, 7, reason);
            statement.setString(8, AuditEntry.STARTED);
            try (ResultSet keys = statement.executeQuery()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new AuditTrailException("cannot append to the audit trail: " + e.getMessage(), e);
        }
    }

    /** Records what came of the action {@code id}. */
    public void finish(long id, String result) {
        try (Connection connection = connection();
                PreparedStatement statement =
                        connection.prepareStatement("UPDATE " + TABLE + " SET result = ? WHERE id = ?")) {
            statement.setString(1, result);
            statement.setLong(2, id);
            if (statement.executeUpdate() != 1) {
                throw new IllegalStateException("the audit trail lost the action " + id + " it began");
            }
        } catch (SQLException e) {
            throw new AuditTrailException("cannot record the result of action " + id + ": " + e.getMessage(), e);
        }
    }

    /** At most {@code limit} actions, newest first, of those with an id below {@code before} if given. */
    public List<AuditEntry> newestFirst(int limit, OptionalLong before) {
        String select = "SELECT id, at, actor, action, transaction_id, bank, outcome, reason, result" + " FROM " + TABLE
                + " WHERE id < ? ORDER BY id DESC LIMIT ?";
        try (Connection connection = connection();
                PreparedStatement statement = connection.prepareStatement(select)) {
            statement.setLong(1, before.orElse(Long.MAX_VALUE));
            statement.setInt(2, limit);
            List<AuditEntry> entries = new ArrayList<>(Math.min(limit, 128));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    entries.add(entry(rows));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new AuditTrailException("cannot read the audit trail: " + e.getMessage(), e);
        }
    }

    private static AuditEntry entry(ResultSet row) throws SQLException {
        Instant at = row.getTimestamp("at").toInstant();
        return new AuditEntry(
                row.getLong("id"),
                at,
                row.getString("actor"),
                AuditAction.ofCode(row.getString("action")),
                row.getString("transaction_id"),
                row.getString("bank"),
                row.getString("outcome"),
                row.getString("reason"),
                row.getString("result"));
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    private Connection connection() throws SQLException {
        if (!migrated) {
            migrate();
        }
        return dataSource.getConnection();
    }

    private synchronized void migrate() {
        if (migrated) {
            return;
        }
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(MIGRATIONS)
                    .table(HISTORY_TABLE)
                    .schemas(SCHEMA)
                    .baselineOnMigrate(false)
                    .validateOnMigrate(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new AuditTrailException("cannot create the audit trail's table: " + e.getMessage(), e);
        }
        migrated = true;
    }
}
