package io.clearhouse.core.log;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            write(record, out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static void write(DecisionRecord record, DataOutputStream out) throws IOException {
        if (record instanceof DecisionRecord.Incarnation incarnation) {
            out.writeByte(INCARNATION);
            out.writeLong(incarnation.number());
        } else if (record instanceof DecisionRecord.CommitDecision commit) {
            out.writeByte(COMMIT_DECISION);
            writeText(out, commit.globalId());
            writeText(out, commit.clientId());
            writePostings(commit.postings(), out);
            out.writeInt(commit.participants().size());
            for (String bank : commit.participants()) {
                writeText(out, bank);
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

    private static void writePostings(List<Posting> postings, DataOutputStream out) throws IOException {
        out.writeInt(postings.size());
        for (Posting posting : postings) {
            writeText(out, posting.account());
            out.writeLong(posting.amount());
        }
    }

    /**
     * Decodes and validates one record.
     *
     * @throws CorruptDecisionRecordException if the bytes are not a valid record of a known version
     */
    public static DecisionRecord decode(byte[] record) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(record));
        DecisionRecord decoded;
        try {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new CorruptDecisionRecordException("unknown format version " + version);
            }
            decoded = read(in.readUnsignedByte(), in);
            if (in.available() != 0) {
                throw new CorruptDecisionRecordException(in.available() + " bytes after the record");
            }
        } catch (IOException e) {
            throw new CorruptDecisionRecordException("truncated or malformed: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CorruptDecisionRecordException(e.getMessage());
        }
        DecisionRecords.validate(decoded);
        return decoded;
    }

    private static DecisionRecord read(int type, DataInputStream in) throws IOException {
        return switch (type) {
            case INCARNATION -> new DecisionRecord.Incarnation(in.readLong());
            case COMMIT_DECISION ->
                new DecisionRecord.CommitDecision(readText(in), readText(in), readPostings(in), readNames(in));
            case ABORT_OUTCOME ->
                new DecisionRecord.AbortOutcome(
                        readText(in), readText(in), Reason.valueOf(readText(in)), readPostings(in));
            case COMPLETION -> new DecisionRecord.Completion(readText(in));
            default -> throw new CorruptDecisionRecordException("unknown record type " + type);
        };
    }

    private static List<Posting> readPostings(DataInputStream in) throws IOException {
        int count = readCount(in, POSTING_BYTES_MIN);
        List<Posting> postings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            postings.add(new Posting(readText(in), in.readLong()));
        }
        return List.copyOf(postings);
    }

    private static List<String> readNames(DataInputStream in) throws IOException {
        int count = readCount(in, NAME_BYTES_MIN);
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(readText(in));
        }
        return List.copyOf(names);
    }

    /** Text is stored as an int length and UTF-8, since DataOutput's own form caps a string at 65,535 bytes. */
    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readText(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > DecisionRecords.TEXT_BYTES_MAX || length > in.available()) {
            throw new CorruptDecisionRecordException("a text of " + length + " bytes does not fit the record");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static int readCount(DataInputStream in, int bytesPerItemMin) throws IOException {
        int count = in.readInt();
        if (count < 0 || (long) count * bytesPerItemMin > in.available()) {
            throw new CorruptDecisionRecordException("a count of " + count + " does not fit the record");
        }
        return count;
    }
}
