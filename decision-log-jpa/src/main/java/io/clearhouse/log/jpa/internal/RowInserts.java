package io.clearhouse.log.jpa.internal;

import io.clearhouse.log.jpa.entity.DecisionRecordEntity;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.hibernate.Session;

/**
 * Inserts decision rows as one JDBC batch on the entity manager's connection, inside its transaction. The log only
 * ever appends, so it needs nothing the persistence context offers on a write: persisting each row as an entity and
 * flushing cost the group commit's thread twice the CPU of the JDBC batch itself. Each row takes its own number from
 * the sequence in the statement, in the order of {@code rows}, so that the numbers keep the write order recovery
 * sorts by; a number per call spends a block of the sequence per row, which the bigint column can afford.
 */
public final class RowInserts {
    private static final String INSERT = "INSERT INTO decision_record (sequence_number, kind, incarnation_number,"
            + " global_id, client_id, reason, format_version, body, checksum)"
            + " VALUES (nextval('decision_record_sequence'), ?, ?, ?, ?, ?, ?, ?, ?)";

    private RowInserts() {}

    /**
     * @throws jakarta.persistence.PersistenceException if the database refuses a row
     */
    public static void insert(EntityManager manager, List<DecisionRecordEntity> rows) {
        manager.unwrap(Session.class).doWork(connection -> insert(connection, rows));
    }

    private static void insert(Connection connection, List<DecisionRecordEntity> rows) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (DecisionRecordEntity row : rows) {
                insert.setString(1, row.kind().name());
                setNullable(insert, 2, row.incarnationNumber());
                insert.setString(3, row.globalId());
                insert.setString(4, row.clientId());
                insert.setString(5, row.reason());
                insert.setShort(6, row.formatVersion());
                insert.setBytes(7, row.body());
                insert.setInt(8, row.checksum());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void setNullable(PreparedStatement insert, int index, Long value) throws SQLException {
        if (value == null) {
            insert.setNull(index, Types.BIGINT);
        } else {
            insert.setLong(index, value);
        }
    }
}
