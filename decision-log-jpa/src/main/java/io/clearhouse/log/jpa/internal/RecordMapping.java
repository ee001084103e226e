package io.clearhouse.log.jpa.internal;

import io.clearhouse.core.log.CorruptDecisionRecordException;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.log.DecisionRecordCodec;
import io.clearhouse.log.jpa.entity.DecisionRecordEntity;
import io.clearhouse.log.jpa.entity.RecordKind;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Turns decision records into rows and back. The codec's bytes are the truth; the searchable columns are derived
 * from them, and a row read back must agree with its bytes, its checksum and the codec's rules, or it is refused.
 */
public final class RecordMapping {
    private RecordMapping() {}

    /**
     * Validates {@code record} and makes its row.
     *
     * @throws CorruptDecisionRecordException if the record breaks a rule of its format
     */
    public static DecisionRecordEntity toEntity(DecisionRecord record) {
        byte[] body = DecisionRecordCodec.encode(record);
        return columnsOf(record, body);
    }

    /**
     * Checks a row and decodes its record.
     *
     * @throws CorruptDecisionRecordException if the bytes, the checksum or the columns do not agree
     */
    public static DecisionRecord fromEntity(DecisionRecordEntity row) {
        byte[] body = row.body();
        if (checksum(body) != row.checksum()) {
            throw corrupt(row, "the checksum does not match the bytes");
        }
        if (row.formatVersion() != DecisionRecordCodec.VERSION) {
            throw corrupt(row, "unknown format version " + row.formatVersion());
        }
        DecisionRecord record;
        try {
            record = DecisionRecordCodec.decode(body);
        } catch (CorruptDecisionRecordException e) {
            throw corrupt(row, e.getMessage());
        }
        if (!sameColumns(row, columnsOf(record, body))) {
            throw corrupt(row, "the columns disagree with the encoded record");
        }
        return record;
    }

    private static DecisionRecordEntity columnsOf(DecisionRecord record, byte[] body) {
        short version = DecisionRecordCodec.VERSION;
        int checksum = checksum(body);
        if (record instanceof DecisionRecord.Incarnation incarnation) {
            return new DecisionRecordEntity(
                    RecordKind.INCARNATION, incarnation.number(), null, null, null, version, body, checksum);
        } else if (record instanceof DecisionRecord.CommitDecision commit) {
            return new DecisionRecordEntity(
                    RecordKind.COMMIT_DECISION,
                    null,
                    commit.globalId(),
                    commit.clientId(),
                    null,
                    version,
                    body,
                    checksum);
        } else if (record instanceof DecisionRecord.AbortOutcome abort) {
            return new DecisionRecordEntity(
                    RecordKind.ABORT_OUTCOME,
                    null,
                    abort.globalId(),
                    abort.clientId(),
                    abort.reason().name(),
                    version,
                    body,
                    checksum);
        } else if (record instanceof DecisionRecord.Completion completion) {
            return new DecisionRecordEntity(
                    RecordKind.COMPLETION, null, completion.globalId(), null, null, version, body, checksum);
        }
        throw new IllegalStateException("a decision record kind without a row mapping: " + record);
    }

    private static boolean sameColumns(DecisionRecordEntity row, DecisionRecordEntity expected) {
        return row.kind() == expected.kind()
                && Objects.equals(row.incarnationNumber(), expected.incarnationNumber())
                && Objects.equals(row.globalId(), expected.globalId())
                && Objects.equals(row.clientId(), expected.clientId())
                && Objects.equals(row.reason(), expected.reason());
    }

    static int checksum(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return (int) crc.getValue();
    }

    private static CorruptDecisionRecordException corrupt(DecisionRecordEntity row, String problem) {
        return new CorruptDecisionRecordException(
                "decision_record row " + row.sequenceNumber() + " (" + row.kind() + "): " + problem);
    }
}
