package io.clearhouse.log.jpa.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * One row of the decision log. Rows are only ever inserted: the log is append-only, so the entity has no setters.
 * The sequence hands out ids in blocks of 100, so a group commit of many records costs few sequence calls and the
 * inserts go to the database as one JDBC batch.
 */
@Entity
@Table(name = "decision_record")
public class DecisionRecordEntity {
    /** Must match {@code INCREMENT BY} of the sequence in the Flyway migration. */
    public static final int SEQUENCE_BLOCK_SIZE = 100;

    @Id
    @SequenceGenerator(
            name = "decision_record_sequence",
            sequenceName = "decision_record_sequence",
            allocationSize = SEQUENCE_BLOCK_SIZE)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "decision_record_sequence")
    @Column(name = "sequence_number")
    private Long sequenceNumber;

    @Enumerated(EnumType.STRING)
    @Column(name = "kind", nullable = false, length = 16)
    private RecordKind kind;

    @Column(name = "incarnation_number")
    private Long incarnationNumber;

    @Column(name = "global_id", columnDefinition = "text")
    private String globalId;

    @Column(name = "client_id", columnDefinition = "text")
    private String clientId;

    @Column(name = "reason", length = 32)
    private String reason;

    @Column(name = "format_version", nullable = false)
    private short formatVersion;

    @Column(name = "body", nullable = false)
    private byte[] body;

    @Column(name = "checksum", nullable = false)
    private int checksum;

    protected DecisionRecordEntity() {}

    public DecisionRecordEntity(
            RecordKind kind,
            Long incarnationNumber,
            String globalId,
            String clientId,
            String reason,
            short formatVersion,
            byte[] body,
            int checksum) {
        this.kind = kind;
        this.incarnationNumber = incarnationNumber;
        this.globalId = globalId;
        this.clientId = clientId;
        this.reason = reason;
        this.formatVersion = formatVersion;
        this.body = body.clone();
        this.checksum = checksum;
    }

    public Long sequenceNumber() {
        return sequenceNumber;
    }

    public RecordKind kind() {
        return kind;
    }

    public Long incarnationNumber() {
        return incarnationNumber;
    }

    public String globalId() {
        return globalId;
    }

    public String clientId() {
        return clientId;
    }

    public String reason() {
        return reason;
    }

    public short formatVersion() {
        return formatVersion;
    }

    public byte[] body() {
        return body.clone();
    }

    public int checksum() {
        return checksum;
    }
}
