package io.clearhouse.bank.memory;

import io.clearhouse.api.Completions;
import io.clearhouse.api.Posting;
import io.clearhouse.journal.JournalException;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Xid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;

/**
 * One memory bank's write-ahead log: its own {@link LogFile}, or its share of a {@link MemoryBankGroup}'s file, where
 * each record is tagged with the bank id. Prepare records are forced before the bank votes, through the journal's
 * group commit, so concurrent prepares share one force; commit and rollback records are lazy, and a bank whose phase
 * two must be durable waits for them with {@link #forceAppended()}, a barrier through the same group commit. Every
 * record that changes what a later branch may do is appended before the change becomes visible, so the journal's
 * append order is an order in which replaying the records is valid.
 */
final class WriteAheadLog implements AutoCloseable {
    private final String bankId;
    private final LogFile logFile;
    private final boolean shared;
    private final Runnable onSharedClose;
    private volatile boolean reportsForcedWrites;
    private boolean closed;

    private WriteAheadLog(String bankId, LogFile logFile, boolean shared, Runnable onSharedClose) {
        this.bankId = bankId;
        this.logFile = logFile;
        this.shared = shared;
        this.onSharedClose = onSharedClose;
        this.reportsForcedWrites = !shared;
    }

    /** Opens the log of {@code bankId} in its own file in {@code directory}, as {@code options} say. */
    static WriteAheadLog open(String bankId, Path directory, MemoryBankOptions options) {
        try {
            LogFile logFile = LogFile.open(directory.resolve(fileName(bankId)), options);
            return new WriteAheadLog(bankId, logFile, false, () -> {});
        } catch (JournalException e) {
            throw new BankException(bankId, "cannot open the write-ahead log: " + e.getMessage(), e);
        }
    }

    /** The share of {@code bankId} in a group's file; closing it calls {@code onClose} once. */
    static WriteAheadLog shared(String bankId, LogFile logFile, Runnable onClose) {
        return new WriteAheadLog(bankId, logFile, true, onClose);
    }

    /**
     * Makes this share report the file's forced writes. A group asks this of one bank only, so that a sum over its
     * banks counts each force once.
     */
    void reportForcedWrites() {
        reportsForcedWrites = true;
    }

    /** The log's file name: the bank id with every byte outside {@code [A-Za-z0-9_-]} percent-encoded. */
    static String fileName(String bankId) {
        StringBuilder name = new StringBuilder("memory-bank-");
        for (byte b : bankId.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean plain =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            name.append(plain ? String.valueOf(c) : String.format("%%%02X", b & 0xff));
        }
        return name.append(".wal").toString();
    }

    Path file() {
        return logFile.file();
    }

    /** The number of records found at open in a file of its own. */
    int recoveredRecordCount() {
        return logFile.recoveredRecords().size();
    }

    /** Lets the records read at open be garbage collected once the bank is restored. */
    void releaseRecoveredRecords() {
        logFile.releaseRecoveredRecords();
    }

    /** The records found at open in a file of its own, decoded, in log order. */
    List<WalRecord> recoveredRecords() {
        List<WalRecord> records = new ArrayList<>(logFile.recoveredRecords().size());
        for (byte[] bytes : logFile.recoveredRecords()) {
            try {
                records.add(WalCodec.decode(bytes));
            } catch (IllegalStateException e) {
                throw new IllegalStateException(
                        "bank " + bankId + ": write-ahead log " + logFile.file()
                                + " holds a record this bank cannot have written",
                        e);
            }
        }
        return records;
    }

    /** The lock a call holds from its change in memory to the append that logs it; see {@link LogFile}. */
    Lock changeLock() {
        return logFile.changeLock();
    }

    /** Makes a file of its own compact itself while running, from snapshots of {@code bank}. */
    void compactWhileRunning(MemoryBankAdapter bank) {
        logFile.compactWhileRunning(() -> {
            List<byte[]> encoded = new ArrayList<>();
            for (WalRecord record : WalSnapshot.of(bank)) {
                encoded.add(WalCodec.encode(record));
            }
            return encoded;
        });
    }

    /** Compacts the file if it grew enough; called after a call, holding no lock of the bank. */
    void compactIfGrown() {
        try {
            logFile.compactIfGrown();
        } catch (IOException | JournalException e) {
            throw new BankException(
                    bankId, "compacting the write-ahead log " + file() + " failed: " + e.getMessage(), e);
        }
    }

    /** Replaces a file of its own with {@code snapshot}. */
    void compact(List<WalRecord> snapshot) {
        List<byte[]> encoded = new ArrayList<>(snapshot.size());
        for (WalRecord record : snapshot) {
            encoded.add(WalCodec.encode(record));
        }
        try {
            logFile.compact(encoded);
        } catch (IOException | JournalException e) {
            throw new BankException(
                    bankId, "compacting the write-ahead log " + file() + " failed: " + e.getMessage(), e);
        }
    }

    void logOpening(Map<String, Long> postedBalances) {
        durably(new WalRecord.Opening(bankId, postedBalances));
    }

    /** Queues the prepare record; the future completes once it is forced. */
    CompletableFuture<Void> logPrepare(Xid xid, Account[] accounts, long[] amounts) {
        try {
            return logFile.appendDurably(WalCodec.encodePrepare(shared ? bankId : null, xid, accounts, amounts));
        } catch (JournalException e) {
            throw failed(e);
        }
    }

    /** Queues one record for the branches of a prepare message that reserved; the future completes once forced. */
    CompletableFuture<Void> logPrepareMany(List<Branch> reserved) {
        List<WalRecord.Prepare> branches = new ArrayList<>(reserved.size());
        for (Branch branch : reserved) {
            branches.add(new WalRecord.Prepare(branch.xid, postings(branch.accounts(), branch.amounts())));
        }
        try {
            return logFile.appendDurably(encode(new WalRecord.PrepareMany(branches)));
        } catch (JournalException e) {
            throw failed(e);
        }
    }

    void logCommitMany(List<Xid> xids) {
        lazily(new WalRecord.CommitMany(xids));
    }

    void logRollbackMany(List<Xid> xids) {
        lazily(new WalRecord.RollbackMany(xids));
    }

    void logCommit(Xid xid) {
        lazily(new WalRecord.Commit(xid));
    }

    void logRollback(Xid xid) {
        lazily(new WalRecord.Rollback(xid));
    }

    /**
     * Completes once every record appended so far, this bank's lazy commit and rollback records included, is forced
     * (through the group commit, so concurrent callers share a force), or exceptionally with this bank's {@link
     * BankException}. A bank whose phase two must be durable answers a commit or rollback only then.
     */
    CompletableFuture<Void> forceAppended() {
        CompletableFuture<Void> forced;
        try {
            forced = logFile.forceAppended();
        } catch (JournalException e) {
            return CompletableFuture.failedFuture(failed(e));
        }
        return forced.handle((ignored, failure) -> {
            if (failure != null) {
                throw failed(Completions.cause(failure));
            }
            return null;
        });
    }

    private static List<Posting> postings(Account[] accounts, long[] amounts) {
        List<Posting> postings = new ArrayList<>(accounts.length);
        for (int i = 0; i < accounts.length; i++) {
            postings.add(new Posting(accounts[i].id, amounts[i]));
        }
        return postings;
    }

    /** The bank's failure for a write or force of its log that failed. */
    BankException failed(Throwable cause) {
        return new BankException(bankId, "write-ahead log failed: " + cause.getMessage(), cause);
    }

    private byte[] encode(WalRecord record) {
        return shared ? WalCodec.encodeTagged(bankId, record) : WalCodec.encode(record);
    }

    private void durably(WalRecord record) {
        try {
            logFile.appendDurablyAndWait(encode(record));
        } catch (JournalException e) {
            throw failed(e);
        }
    }

    private void lazily(WalRecord record) {
        try {
            logFile.append(encode(record));
        } catch (JournalException e) {
            throw failed(e);
        }
    }

    long forcedWrites() {
        return reportsForcedWrites ? logFile.forcedWrites() : 0;
    }

    /** Closes a file of its own; tells the group of a shared file, which closes the file after its last bank. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (shared) {
            onSharedClose.run();
            return;
        }
        try {
            logFile.close();
        } catch (JournalException e) {
            throw new BankException(bankId, "closing the write-ahead log failed", e);
        }
    }
}
