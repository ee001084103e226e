package io.clearhouse.bank.memory;

import io.clearhouse.journal.JournalException;
import io.clearhouse.spi.BankException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;

/**
 * Durable memory banks of one process that share one write-ahead log file, {@value #FILE_NAME} in a directory.
 *
 * <p>Each bank with a file of its own forces its prepare records separately, so with many banks a force covers few
 * records and the disk's forces per second become the limit (measured: 256 threads preparing on 32 such banks made
 * 7,200 forces/s for 34,000 prepares/s, against 78,000 prepares/s on one bank). Banks of a group share the
 * journal's group commit instead: concurrent prepares on all of them share one force. Records carry their bank's id.
 *
 * <p>Opening the group restores every bank the file holds and compacts the file when a snapshot would save
 * {@code compactionRecordsMin} records; {@link #bank} then hands out each bank once, restored or new. While the banks
 * run, the file is compacted again each time it has grown by {@code logGrowthBytesMax}, into a snapshot of every bank
 * it holds, open, closed or not yet handed out, so that neither the file nor the next open's replay grows with the
 * transfers made. The file is closed when the group is closed or when the last bank handed out is
 * closed, whichever comes first; lazy commit and rollback records are forced then. One bank of the group, the first
 * handed out, reports the file's forced writes, so that a sum over the banks counts each force once.
 */
public final class MemoryBankGroup implements AutoCloseable {
    public static final String FILE_NAME = "memory-banks.wal";

    private final LogFile logFile;
    private final MemoryBankOptions options;
    /**
     * Every bank the file holds: restored at open, or new with its opening record, entered under the file's change
     * lock so that no snapshot of compaction while running misses a bank whose record the file already has. A bank
     * here and not {@link #handedOut} is one the file restored and nobody has asked for yet.
     */
    private final Map<String, MemoryBankAdapter> inFile = new ConcurrentHashMap<>();

    private final Set<String> handedOut = new HashSet<>();
    private int openBanks;
    private boolean fileClosed;
    private int recordsReplayed;

    private MemoryBankGroup(LogFile logFile, MemoryBankOptions options) {
        this.logFile = logFile;
        this.options = options;
    }

    /** Opens the group's file in {@code directory} with fsync on or off and default bounds. */
    public static MemoryBankGroup open(Path directory, boolean fsync) {
        return open(MemoryBankOptions.durable(directory, fsync));
    }

    /**
     * Opens the group's file in the directory of {@code options}, restores every bank it holds, and compacts it.
     *
     * @throws BankException if the file cannot be opened, read or compacted
     */
    public static MemoryBankGroup open(MemoryBankOptions options) {
        Path directory = options.directory()
                .orElseThrow(() -> new IllegalArgumentException("a memory bank group needs a directory"));
        LogFile logFile;
        try {
            logFile = LogFile.open(directory.resolve(FILE_NAME), options);
        } catch (JournalException e) {
            throw new BankException("(group)", "cannot open the shared write-ahead log: " + e.getMessage(), e);
        }
        MemoryBankGroup group = new MemoryBankGroup(logFile, options);
        try {
            group.restoreAll();
            logFile.compactWhileRunning(group::snapshot);
            return group;
        } catch (RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /**
     * Replays each record as it is decoded, into its bank's restore: gathering every decoded record per bank first
     * kept them all alive at once, which made the collector copy the whole log (issue 17).
     */
    private void restoreAll() {
        Map<String, WalRestore> restores = new LinkedHashMap<>();
        List<byte[]> records = logFile.recoveredRecords();
        recordsReplayed = records.size();
        for (byte[] bytes : records) {
            WalCodec.Tagged tagged = decode(bytes);
            WalRestore restore = restores.get(tagged.bankId());
            if (restore == null) {
                restores.put(
                        tagged.bankId(),
                        WalRestore.start(tagged.bankId(), tagged.record(), shareOf(tagged.bankId()), options));
            } else {
                restore.replay(tagged.record());
            }
        }
        logFile.releaseRecoveredRecords();
        for (Map.Entry<String, WalRestore> bank : restores.entrySet()) {
            inFile.put(bank.getKey(), bank.getValue().finish());
        }
        List<byte[]> snapshot = snapshot();
        if (recordsReplayed - snapshot.size() >= options.compactionRecordsMin()) {
            compact(snapshot);
            // The compacted file's journal read the snapshot back at open; nothing replays it.
            logFile.releaseRecoveredRecords();
        }
    }

    /**
     * The records that restore every bank of the file as it is now. Compaction while running calls it under the
     * file's change lock, when no call is between a change and its record.
     */
    private List<byte[]> snapshot() {
        List<byte[]> snapshot = new ArrayList<>();
        inFile.forEach((bankId, bank) ->
                WalSnapshot.of(bank).forEach(record -> snapshot.add(WalCodec.encodeTagged(bankId, record))));
        return snapshot;
    }

    private WalCodec.Tagged decode(byte[] bytes) {
        try {
            return WalCodec.decodeTagged(bytes);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "shared write-ahead log " + logFile.file() + " holds a record no bank can have written", e);
        }
    }

    private void compact(List<byte[]> snapshot) {
        try {
            logFile.compact(snapshot);
        } catch (IOException | JournalException e) {
            throw new BankException(
                    "(group)", "compacting the shared write-ahead log " + logFile.file() + " failed: " + e, e);
        }
    }

    private WriteAheadLog shareOf(String bankId) {
        return WriteAheadLog.shared(bankId, logFile, this::bankClosed);
    }

    /**
     * The bank {@code bankId}: as the file restored it, or new with {@code initialBalances} (logged first) if the
     * file holds nothing of it.
     *
     * @throws IllegalStateException if the bank was already handed out, or the group's file is closed
     */
    public synchronized MemoryBankAdapter bank(String bankId, Map<String, Long> initialBalances) {
        if (fileClosed) {
            throw new IllegalStateException("memory bank group " + logFile.file() + " is closed");
        }
        if (!handedOut.add(bankId)) {
            throw new IllegalStateException("bank " + bankId + " was already opened in group " + logFile.file());
        }
        MemoryBankAdapter bank = inFile.get(bankId);
        if (bank == null) {
            bank = openNew(bankId, initialBalances);
        }
        if (openBanks == 0 && handedOut.size() == 1) {
            bank.writeAheadLog().reportForcedWrites();
        }
        openBanks++;
        return bank;
    }

    /** A bank the file holds nothing of, its opening record logged and the bank in {@link #inFile} at once. */
    private MemoryBankAdapter openNew(String bankId, Map<String, Long> initialBalances) {
        Lock changing = logFile.changeLock();
        changing.lock();
        try {
            MemoryBankAdapter bank = WalRestore.replay(bankId, initialBalances, List.of(), shareOf(bankId), options);
            inFile.put(bankId, bank);
            return bank;
        } finally {
            changing.unlock();
        }
    }

    /** Whether the shared file is closed: by {@link #close()} or with the last bank handed out. */
    public synchronized boolean isClosed() {
        return fileClosed;
    }

    /** The forces made on the shared file since the group opened. */
    public long forcedWrites() {
        return logFile.forcedWrites();
    }

    /** How many records opening the group read back from the file and replayed, before it compacted them. */
    public int recordsReplayed() {
        return recordsReplayed;
    }

    private synchronized void bankClosed() {
        openBanks--;
        if (openBanks == 0) {
            closeFile();
        }
    }

    /** Closes the shared file; banks still open fail from then on. Idempotent. */
    @Override
    public synchronized void close() {
        closeFile();
    }

    private void closeFile() {
        if (fileClosed) {
            return;
        }
        fileClosed = true;
        try {
            logFile.close();
        } catch (JournalException e) {
            throw new BankException("(group)", "closing the shared write-ahead log failed: " + e.getMessage(), e);
        }
    }
}
