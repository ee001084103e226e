package io.clearhouse.log.jpa.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One row of the decision log, as queries read it. Rows are only ever inserted, by {@link
 * io.clearhouse.log.jpa.internal.RowInserts} in one JDBC batch per group commit, which numbers them from the
 * sequence: the entity has no setters and no generator.
 */
@Entity
@Table(name = "decision_record")
public class DecisionRecordEntity {
    @Id
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
