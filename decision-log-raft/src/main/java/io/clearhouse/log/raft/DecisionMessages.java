package io.clearhouse.log.raft;

import io.clearhouse.core.log.CorruptDecisionRecordException;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.log.DecisionRecordCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The bytes that pass between {@link RaftDecisionLog} and {@link DecisionStateMachine}: a kind tag, then records in
 * {@link DecisionRecordCodec}'s form, each behind its length. Entries change the state ({@link Kind#APPEND}, {@link
 * Kind#OPEN}, {@link Kind#PRUNE}) and carry the term of the leadership they were written for, which the state machine
 * compares with the term Raft appended them in; queries only read it ({@link Kind#OUTCOME_OF}, {@link
 * Kind#COMMIT_DECISION_OF}). The answer to an entry begins with whether the state machine accepted it. A new kind
 * takes the next tag, so that the entries of an earlier version still read the same.
 */
final class DecisionMessages {
    /** What a message asks of the state machine. */
    enum Kind {
        /** An entry: apply the records that follow, in order. */
        APPEND,
        /** An entry: start a new incarnation; the reply holds it and the records recovery needs. */
        OPEN,
        /** A query: the first outcome of the client id that follows. */
        OUTCOME_OF,
        /** A query: the commit decision of the global id that follows. */
        COMMIT_DECISION_OF,
        /** An entry: forget some of what finished before a time, as the {@link Prune} that follows says. */
        PRUNE
    }

    /**
     * What a prune entry asks, in the leader's time, which every peer applies alike whatever its own clock says.
     *
     * @param cutoffMillis forget what finished before this time
     * @param nowMillis the leader's time as it wrote the entry, which dates what finished since the last prune
     * @param transactionsMax forget at most this many transactions, so that one entry's work is bounded
     */
    record Prune(long cutoffMillis, long nowMillis, int transactionsMax) {
        Prune {
            if (cutoffMillis > nowMillis || transactionsMax <= 0) {
                throw new CorruptDecisionRecordException("a prune entry with cutoff " + cutoffMillis
                        + " after its time " + nowMillis + " or a limit of " + transactionsMax + " transactions");
            }
        }
    }

    /** A decoded request; {@code term} is that of an entry, 0 for a query; {@code prune} only for a prune entry. */
    record Request(Kind kind, long term, List<byte[]> records, String id, Optional<Prune> prune) {}

    /** The state machine's answer to {@link Kind#PRUNE}. */
    record PrunePage(int transactionsForgotten, boolean moreBeforeCutoff) {}

    /** The state machine's answer to {@link Kind#OPEN}. */
    record Opening(long incarnation, List<DecisionRecord> recovered) {}

    private DecisionMessages() {}

    static Message append(long term, List<byte[]> encodedRecords) {
        return write(out -> {
            out.writeByte(Kind.APPEND.ordinal());
            out.writeLong(term);
            writeRecords(out, encodedRecords);
        });
    }

    static Message open(long term) {
        return write(out -> {
            out.writeByte(Kind.OPEN.ordinal());
            out.writeLong(term);
        });
    }

    static Message prune(long term, Prune prune) {
        return write(out -> {
            out.writeByte(Kind.PRUNE.ordinal());
            out.writeLong(term);
            out.writeLong(prune.cutoffMillis());
            out.writeLong(prune.nowMillis());
            out.writeInt(prune.transactionsMax());
        });
    }

    static Message query(Kind kind, String id) {
        return write(out -> {
            out.writeByte(kind.ordinal());
            writeText(out, id);
        });
    }

    static Request decodeRequest(ByteString bytes) {
        return read(bytes, in -> {
            Kind kind = kindOf(in.readUnsignedByte());
            return switch (kind) {
                case APPEND -> new Request(kind, in.readLong(), readRecords(in), "", Optional.empty());
                case OPEN -> new Request(kind, in.readLong(), List.of(), "", Optional.empty());
                case OUTCOME_OF, COMMIT_DECISION_OF -> new Request(kind, 0, List.of(), readText(in), Optional.empty());
                case PRUNE ->
                    new Request(
                            kind,
                            in.readLong(),
                            List.of(),
                            "",
                            Optional.of(new Prune(in.readLong(), in.readLong(), in.readInt())));
            };
        });
    }

    /** The answer to an entry written for one term and appended by Raft in {@code appendedTerm}, another. */
    static Message refused(long appendedTerm) {
        return write(out -> {
            out.writeBoolean(false);
            out.writeLong(appendedTerm);
        });
    }

    static Message appended() {
        return write(out -> out.writeBoolean(true));
    }

    /**
     * Checks the answer to an append.
     *
     * @throws StaleLeadershipException if the state machine refused it
     */
    static void decodeAppended(ByteString bytes, long term) {
        read(bytes, in -> {
            requireAccepted(in, term);
            return null;
        });
    }

    static Message pruned(PrunePage pruned) {
        return write(out -> {
            out.writeBoolean(true);
            out.writeInt(pruned.transactionsForgotten());
            out.writeBoolean(pruned.moreBeforeCutoff());
        });
    }

    /** @throws StaleLeadershipException if the state machine refused the prune entry */
    static PrunePage decodePruned(ByteString bytes, long term) {
        return read(bytes, in -> {
            requireAccepted(in, term);
            return new PrunePage(in.readInt(), in.readBoolean());
        });
    }

    static Message opening(long incarnation, List<DecisionRecord> recovered) {
        return write(out -> {
            out.writeBoolean(true);
            out.writeLong(incarnation);
            writeRecords(
                    out, recovered.stream().map(DecisionRecordCodec::encode).toList());
        });
    }

    /** @throws StaleLeadershipException if the state machine refused the opening */
    static Opening decodeOpening(ByteString bytes, long term) {
        return read(bytes, in -> {
            requireAccepted(in, term);
            long incarnation = in.readLong();
            List<DecisionRecord> recovered = new ArrayList<>();
            for (byte[] record : readRecords(in)) {
                recovered.add(DecisionRecordCodec.decode(record));
            }
            return new Opening(incarnation, List.copyOf(recovered));
        });
    }

    /** The answer to a query: the encoded record found, if any. */
    static Message found(Optional<byte[]> encodedRecord) {
        return write(out -> writeRecords(out, encodedRecord.stream().toList()));
    }

    static Optional<DecisionRecord> decodeFound(ByteString bytes) {
        return read(bytes, in -> readRecords(in).stream().findFirst().map(DecisionRecordCodec::decode));
    }

    private static void requireAccepted(DataInputStream in, long term) throws IOException {
        if (!in.readBoolean()) {
            throw new StaleLeadershipException(term, in.readLong());
        }
    }

    static void writeRecords(DataOutputStream out, List<byte[]> records) throws IOException {
        out.writeInt(records.size());
        for (byte[] record : records) {
            out.writeInt(record.length);
            out.write(record);
        }
    }

    static List<byte[]> readRecords(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > in.available() / Integer.BYTES) {
            throw new CorruptDecisionRecordException("a count of " + count + " records does not fit the message");
        }
        List<byte[]> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new CorruptDecisionRecordException("a record of " + length + " bytes does not fit the message");
            }
            records.add(in.readNBytes(length));
        }
        return records;
    }

    private static Kind kindOf(int tag) {
        if (tag >= Kind.values().length) {
            throw new CorruptDecisionRecordException("unknown message kind " + tag);
        }
        return Kind.values()[tag];
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readText(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new CorruptDecisionRecordException("a text of " + length + " bytes does not fit the message");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static Message write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return Message.valueOf(ByteString.copyFrom(bytes.toByteArray()));
    }

    private static <T> T read(ByteString bytes, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            T value = reader.read(in);
            if (in.available() != 0) {
                throw new CorruptDecisionRecordException(in.available() + " bytes after the message");
            }
            return value;
        } catch (IOException e) {
            throw new CorruptDecisionRecordException("truncated or malformed message: " + e.getMessage());
        }
    }
}
