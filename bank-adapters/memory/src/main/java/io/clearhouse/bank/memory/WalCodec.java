package io.clearhouse.bank.memory;

import io.clearhouse.api.Posting;
import io.clearhouse.journal.RecordBytes;
import io.clearhouse.spi.Xid;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of {@link WalRecord}s: a type byte, then strings as a length and UTF-8 bytes, counts as ints and
 * amounts as longs. The journal checksums each record; decoding still checks the type, the counts and that every
 * byte was used, so that a record written by a bug is not half-read. The records of many branches (types 5 to 7)
 * came later than the others; a log written before them holds none, and reads as it always did.
 */
final class WalCodec {
    private static final byte OPENING = 1;
    private static final byte PREPARE = 2;
    private static final byte COMMIT = 3;
    private static final byte ROLLBACK = 4;
    private static final byte PREPARE_MANY = 5;
    private static final byte COMMIT_MANY = 6;
    private static final byte ROLLBACK_MANY = 7;
    private static final int STRING_BYTES_MAX = 64 * 1024;
    private static final int COUNT_MAX = 10_000_000;

    private WalCodec() {}

    static byte[] encode(WalRecord record) {
        RecordBytes out = new RecordBytes(bytesOf(record));
        write(out, record);
        return out.toByteArray();
    }

    /**
     * A record of a file shared by several banks: the bank id, then the record as {@link #encode} writes it, in one
     * array sized for both.
     */
    static byte[] encodeTagged(String bankId, WalRecord record) {
        RecordBytes out = new RecordBytes(RecordBytes.textBytes(bankId) + bytesOf(record));
        writeString(out, bankId);
        write(out, record);
        return out.toByteArray();
    }

    /**
     * One branch's prepare record, the bytes {@link #encode} or, with a {@code tag}, {@link #encodeTagged} gives its
     * {@link WalRecord.Prepare}, written from the branch's own arrays: a durable bank logs one for every branch, and a
     * list of postings made only to be encoded cost some hundred bytes a branch.
     *
     * @param tag the bank id of a record in a shared file, or null in a file of the bank's own
     */
    static byte[] encodePrepare(String tag, Xid xid, Account[] accounts, long[] amounts) {
        int bytes = (tag == null ? 0 : RecordBytes.textBytes(tag)) + 1 + bytesOf(xid) + Integer.BYTES;
        for (Account account : accounts) {
            bytes += RecordBytes.textBytes(account.id) + Long.BYTES;
        }
        RecordBytes out = new RecordBytes(bytes);
        if (tag != null) {
            writeString(out, tag);
        }
        out.writeByte(PREPARE);
        writeXid(out, xid);
        out.writeInt(accounts.length);
        for (int i = 0; i < accounts.length; i++) {
            writeString(out, accounts[i].id);
            out.writeLong(amounts[i]);
        }
        return out.toByteArray();
    }

    /** The size of the records every branch writes; a guess for the others, which are rare. */
    private static int bytesOf(WalRecord record) {
        if (record instanceof WalRecord.Commit commit) {
            return 1 + bytesOf(commit.xid());
        } else if (record instanceof WalRecord.Rollback rollback) {
            return 1 + bytesOf(rollback.xid());
        } else if (record instanceof WalRecord.Prepare prepare) {
            int bytes = 1 + bytesOf(prepare.xid()) + Integer.BYTES;
            for (Posting posting : prepare.postings()) {
                bytes += RecordBytes.textBytes(posting.account()) + Long.BYTES;
            }
            return bytes;
        }
        return 64;
    }

    private static int bytesOf(Xid xid) {
        return RecordBytes.textBytes(xid.transactionId()) + RecordBytes.textBytes(xid.bankId());
    }

    private static void write(RecordBytes out, WalRecord record) {
        if (record instanceof WalRecord.Opening opening) {
            writeOpening(out, opening);
        } else if (record instanceof WalRecord.Prepare prepare) {
            writePrepare(out, prepare);
        } else if (record instanceof WalRecord.Commit commit) {
            out.writeByte(COMMIT);
            writeXid(out, commit.xid());
        } else if (record instanceof WalRecord.Rollback rollback) {
            out.writeByte(ROLLBACK);
            writeXid(out, rollback.xid());
        } else {
            writeMany(out, record);
        }
    }

    /** A decoded record of a shared file. */
    record Tagged(String bankId, WalRecord record) {}

    /**
     * Decodes one record of a shared file.
     *
     * @throws IllegalStateException if the bytes are not a record this codec wrote
     */
    static Tagged decodeTagged(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        String bankId;
        try {
            bankId = readString(in);
        } catch (BufferUnderflowException e) {
            throw new IllegalStateException("malformed shared write-ahead log record of " + bytes.length + " bytes", e);
        }
        return new Tagged(bankId, decode(in, bytes.length));
    }

    private static void writeOpening(RecordBytes out, WalRecord.Opening opening) {
        out.writeByte(OPENING);
        writeString(out, opening.bankId());
        out.writeInt(opening.postedBalances().size());
        for (Map.Entry<String, Long> account : opening.postedBalances().entrySet()) {
            writeString(out, account.getKey());
            out.writeLong(checkBalance(account.getKey(), account.getValue()));
        }
    }

    private static void writeMany(RecordBytes out, WalRecord record) {
        if (record instanceof WalRecord.PrepareMany many) {
            out.writeByte(PREPARE_MANY);
            out.writeInt(checkMany(many.branches().size()));
            for (WalRecord.Prepare prepare : many.branches()) {
                writePrepareBody(out, prepare);
            }
        } else if (record instanceof WalRecord.CommitMany many) {
            out.writeByte(COMMIT_MANY);
            writeXids(out, many.xids());
        } else if (record instanceof WalRecord.RollbackMany many) {
            out.writeByte(ROLLBACK_MANY);
            writeXids(out, many.xids());
        } else {
            throw new IllegalStateException("unknown write-ahead log record " + record);
        }
    }

    private static void writeXids(RecordBytes out, List<Xid> xids) {
        out.writeInt(checkMany(xids.size()));
        for (Xid xid : xids) {
            writeXid(out, xid);
        }
    }

    /** A record of many branches holds at least one: an empty one is written only by a bug. */
    private static int checkMany(int count) {
        if (count < 1 || count > COUNT_MAX) {
            throw new IllegalArgumentException("a record of many branches holds 1.." + COUNT_MAX + ": " + count);
        }
        return count;
    }

    private static void writePrepare(RecordBytes out, WalRecord.Prepare prepare) {
        out.writeByte(PREPARE);
        writePrepareBody(out, prepare);
    }

    private static void writePrepareBody(RecordBytes out, WalRecord.Prepare prepare) {
        writeXid(out, prepare.xid());
        out.writeInt(prepare.postings().size());
        for (Posting posting : prepare.postings()) {
            writeString(out, posting.account());
            out.writeLong(posting.amount());
        }
    }

    private static void writeXid(RecordBytes out, Xid xid) {
        writeString(out, xid.transactionId());
        writeString(out, xid.bankId());
    }

    private static void writeString(RecordBytes out, String text) {
        out.writeText(text, STRING_BYTES_MAX);
    }

    private static long checkBalance(String account, long balance) {
        if (balance < 0) {
            throw new IllegalArgumentException("account " + account + " has a negative balance: " + balance);
        }
        return balance;
    }

    /**
     * Decodes one record.
     *
     * @throws IllegalStateException if the bytes are not a record this codec wrote
     */
    static WalRecord decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes), bytes.length);
    }

    /**
     * Decodes the record that fills the rest of {@code in}, reading the buffer in place: replay decodes every record
     * of a log, and a stream over each would copy and lock for every field.
     */
    private static WalRecord decode(ByteBuffer in, int recordBytes) {
        try {
            byte type = in.get();
            WalRecord record =
                    switch (type) {
                        case OPENING -> readOpening(in);
                        case PREPARE -> readPrepare(in);
                        case COMMIT -> new WalRecord.Commit(readXid(in));
                        case ROLLBACK -> new WalRecord.Rollback(readXid(in));
                        case PREPARE_MANY -> readPrepareMany(in);
                        case COMMIT_MANY -> new WalRecord.CommitMany(readXids(in));
                        case ROLLBACK_MANY -> new WalRecord.RollbackMany(readXids(in));
                        default -> throw new IllegalStateException("unknown write-ahead log record type " + type);
                    };
            if (in.hasRemaining()) {
                throw new IllegalStateException(
                        "write-ahead log record of type " + type + " has " + in.remaining() + " bytes left over");
            }
            return record;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalStateException("malformed write-ahead log record of " + recordBytes + " bytes", e);
        }
    }

    private static WalRecord.Opening readOpening(ByteBuffer in) {
        String bankId = readString(in);
        int count = readCount(in);
        Map<String, Long> balances = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String account = readString(in);
            balances.put(account, checkBalance(account, in.getLong()));
        }
        return new WalRecord.Opening(bankId, balances);
    }

    private static WalRecord.Prepare readPrepare(ByteBuffer in) {
        Xid xid = readXid(in);
        int count = readCount(in);
        List<Posting> postings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            postings.add(new Posting(readString(in), in.getLong()));
        }
        return new WalRecord.Prepare(xid, postings);
    }

    private static WalRecord.PrepareMany readPrepareMany(ByteBuffer in) {
        int count = readManyCount(in);
        List<WalRecord.Prepare> branches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            branches.add(readPrepare(in));
        }
        return new WalRecord.PrepareMany(branches);
    }

    private static List<Xid> readXids(ByteBuffer in) {
        int count = readManyCount(in);
        List<Xid> xids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            xids.add(readXid(in));
        }
        return xids;
    }

    private static int readManyCount(ByteBuffer in) {
        int count = readCount(in);
        if (count == 0) {
            throw new IllegalStateException("write-ahead log record of many branches holds none");
        }
        return count;
    }

    private static Xid readXid(ByteBuffer in) {
        return new Xid(readString(in), readString(in));
    }

    private static int readCount(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > COUNT_MAX) {
            throw new IllegalStateException("write-ahead log count out of range: " + count);
        }
        return count;
    }

    private static String readString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > STRING_BYTES_MAX || length > in.remaining()) {
            throw new IllegalStateException("write-ahead log string length out of range: " + length);
        }
        String text = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }
}
