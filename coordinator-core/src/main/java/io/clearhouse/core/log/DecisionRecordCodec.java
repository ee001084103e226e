package io.clearhouse.core.log;

import static io.clearhouse.journal.RecordBytes.textBytes;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.journal.RecordBytes;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The binary form of a {@link DecisionRecord}: a format version, a type tag, then the fields. Decoding is strict
 * (known version and tag, counts that fit the bytes, nothing left over) and ends with {@link
 * DecisionRecords#validate}, so a damaged or foreign record is refused rather than misread. Checksums are the
 * journal's business.
 */
public final class DecisionRecordCodec {
    /** The format written today; a reader refuses any other. */
    public static final int VERSION = 2;

    private static final int INCARNATION = 1;
    private static final int COMMIT_DECISION = 2;
    private static final int ABORT_OUTCOME = 3;
    private static final int COMPLETION = 4;
    /** A posting takes at least a two-byte length and an eight-byte amount, a name at least its length. */
    private static final int POSTING_BYTES_MIN = 12;

    private static final int NAME_BYTES_MIN = 4;

    private DecisionRecordCodec() {}

    /** Validates {@code record} and encodes it. */
    public static byte[] encode(DecisionRecord record) {
        DecisionRecords.validate(record);
        RecordBytes out = new RecordBytes(bytesOf(record));
        out.writeByte(VERSION);
        write(record, out);
        return out.toByteArray();
    }

    /** The encoded size; exact when the text is ASCII, never too small (the sizes add what {@link #write} writes). */
    private static int bytesOf(DecisionRecord record) {
        int header = 2;
        if (record instanceof DecisionRecord.CommitDecision commit) {
            int bytes = header
                    + textBytes(commit.globalId())
                    + textBytes(commit.clientId())
                    + bytesOf(commit.postings())
                    + Integer.BYTES;
            List<String> participants = commit.participants();
            for (int i = 0; i < participants.size(); i++) {
                bytes += textBytes(participants.get(i));
            }
            return bytes;
        } else if (record instanceof DecisionRecord.AbortOutcome abort) {
            return header
                    + textBytes(abort.globalId())
                    + textBytes(abort.clientId())
                    + textBytes(abort.reason().name())
                    + bytesOf(abort.postings());
        } else if (record instanceof DecisionRecord.Completion completion) {
            return header + textBytes(completion.globalId());
        }
        return header + Long.BYTES;
    }

    private static int bytesOf(List<Posting> postings) {
        int bytes = Integer.BYTES;
        for (int i = 0; i < postings.size(); i++) {
            bytes += textBytes(postings.get(i).account()) + Long.BYTES;
        }
        return bytes;
    }

    private static void write(DecisionRecord record, RecordBytes out) {
        if (record instanceof DecisionRecord.Incarnation incarnation) {
            out.writeByte(INCARNATION);
            out.writeLong(incarnation.number());
        } else if (record instanceof DecisionRecord.CommitDecision commit) {
            out.writeByte(COMMIT_DECISION);
            writeText(out, commit.globalId());
            writeText(out, commit.clientId());
            writePostings(commit.postings(), out);
            out.writeInt(commit.participants().size());
            List<String> participants = commit.participants();
            for (int i = 0; i < participants.size(); i++) {
                writeText(out, participants.get(i));
            }
        } else if (record instanceof DecisionRecord.AbortOutcome abort) {
            out.writeByte(ABORT_OUTCOME);
            writeText(out, abort.globalId());
            writeText(out, abort.clientId());
            writeText(out, abort.reason().name());
            writePostings(abort.postings(), out);
        } else if (record instanceof DecisionRecord.Completion completion) {
            out.writeByte(COMPLETION);
            writeText(out, completion.globalId());
        }
    }

    private static void writePostings(List<Posting> postings, RecordBytes out) {
        out.writeInt(postings.size());
        for (int i = 0; i < postings.size(); i++) {
            writeText(out, postings.get(i).account());
            out.writeLong(postings.get(i).amount());
        }
    }

    /**
     * Decodes and validates one record.
     *
     * @throws CorruptDecisionRecordException if the bytes are not a valid record of a known version
     */
    public static DecisionRecord decode(byte[] record) {
        return decode(record, UnaryOperator.identity());
    }

    /**
     * Decodes as {@link #decode(byte[])} does, passing every bank and account name through {@code names}, so that a
     * caller keeping many records can have them share one string per name.
     */
    static DecisionRecord decode(byte[] record, UnaryOperator<String> names) {
        // Read in place: opening a log decodes every record, and a stream over each copies and locks per field.
        ByteBuffer in = ByteBuffer.wrap(record);
        DecisionRecord decoded;
        try {
            int version = Byte.toUnsignedInt(in.get());
            if (version != VERSION) {
                throw new CorruptDecisionRecordException("unknown format version " + version);
            }
            decoded = read(Byte.toUnsignedInt(in.get()), in, names);
            if (in.hasRemaining()) {
                throw new CorruptDecisionRecordException(in.remaining() + " bytes after the record");
            }
        } catch (BufferUnderflowException e) {
            throw new CorruptDecisionRecordException("truncated or malformed: " + e);
        } catch (IllegalArgumentException e) {
            throw new CorruptDecisionRecordException(e.getMessage());
        }
        DecisionRecords.validate(decoded);
        return decoded;
    }

    private static DecisionRecord read(int type, ByteBuffer in, UnaryOperator<String> names) {
        return switch (type) {
            case INCARNATION -> new DecisionRecord.Incarnation(in.getLong());
            case COMMIT_DECISION ->
                new DecisionRecord.CommitDecision(
                        readText(in), readText(in), readPostings(in, names), readNames(in, names));
            case ABORT_OUTCOME ->
                new DecisionRecord.AbortOutcome(
                        readText(in), readText(in), Reason.valueOf(readText(in)), readPostings(in, names));
            case COMPLETION -> new DecisionRecord.Completion(readText(in));
            default -> throw new CorruptDecisionRecordException("unknown record type " + type);
        };
    }

    private static List<Posting> readPostings(ByteBuffer in, UnaryOperator<String> names) {
        int count = readCount(in, POSTING_BYTES_MIN);
        Posting[] postings = new Posting[count];
        for (int i = 0; i < count; i++) {
            postings[i] = new Posting(names.apply(readText(in)), in.getLong());
        }
        return List.of(postings);
    }

    private static List<String> readNames(ByteBuffer in, UnaryOperator<String> canonical) {
        int count = readCount(in, NAME_BYTES_MIN);
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = canonical.apply(readText(in));
        }
        return List.of(names);
    }

    /** Validated before encoding, so the limit here is only the format's own. */
    private static void writeText(RecordBytes out, String text) {
        out.writeText(text, Integer.MAX_VALUE);
    }

    private static String readText(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > DecisionRecords.TEXT_BYTES_MAX || length > in.remaining()) {
            throw new CorruptDecisionRecordException("a text of " + length + " bytes does not fit the record");
        }
        String text = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }

    private static int readCount(ByteBuffer in, int bytesPerItemMin) {
        int count = in.getInt();
        if (count < 0 || (long) count * bytesPerItemMin > in.remaining()) {
            throw new CorruptDecisionRecordException("a count of " + count + " does not fit the record");
        }
        return count;
    }
}
