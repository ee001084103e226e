package io.clearhouse.bank.memory;

import io.clearhouse.journal.Journal;
import io.clearhouse.journal.JournalException;
import io.clearhouse.journal.JournalOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * One write-ahead log file on the journal, written by one bank or shared by a {@link MemoryBankGroup}, and kept
 * bounded by compaction: the file is replaced by a snapshot of its banks' state, at open when that saves enough
 * records, and while running each time it has grown by {@code logGrowthBytesMax}.
 *
 * <p>A snapshot is consistent only if no call is between changing a bank in memory and logging that change. Each
 * such call holds the {@link #changeLock()} (a read lock, shared by all calls) across both steps; compaction takes
 * the write lock, so it waits for calls in flight and holds new ones back while it writes the new file.
 */
final class LogFile implements AutoCloseable {
    private final JournalOptions options;
    private final long logGrowthBytesMax;
    private final ReentrantReadWriteLock compactionLock = new ReentrantReadWriteLock();
    private final AtomicLong bytesSinceCompaction = new AtomicLong();
    private final AtomicBoolean compacting = new AtomicBoolean();
    private volatile Supplier<List<byte[]>> snapshotSource;
    /** Replaced only by {@link #compact}, under the write lock or before any bank on this file serves calls. */
    private volatile Journal journal;
    /** The forces of the journals this file replaced, so that {@link #forcedWrites()} never goes back. */
    private volatile long earlierForcedWrites;

    private boolean closed;

    private LogFile(JournalOptions options, long logGrowthBytesMax, Journal journal) {
        this.options = options;
        this.logGrowthBytesMax = logGrowthBytesMax;
        this.journal = journal;
    }

    /** @throws JournalException if the file cannot be opened or is corrupt */
    static LogFile open(Path file, MemoryBankOptions bankOptions) {
        JournalOptions options = bankOptions.journalOptions();
        return new LogFile(options, bankOptions.logGrowthBytesMax(), Journal.open(file, options));
    }

    Path file() {
        return journal.file();
    }

    List<byte[]> recoveredRecords() {
        return journal.recoveredRecords();
    }

    void releaseRecoveredRecords() {
        journal.releaseRecoveredRecords();
    }

    /** The lock a call holds from its change in memory to the append that logs it. */
    Lock changeLock() {
        return compactionLock.readLock();
    }

    /** Starts compacting while running, with snapshots of the whole file's state from {@code source}. */
    void compactWhileRunning(Supplier<List<byte[]>> source) {
        snapshotSource = source;
    }

    void appendDurablyAndWait(byte[] record) {
        journal.appendDurablyAndWait(record);
        bytesSinceCompaction.addAndGet(record.length);
    }

    CompletableFuture<Void> appendDurably(byte[] record) {
        CompletableFuture<Void> durable = journal.appendDurably(record);
        bytesSinceCompaction.addAndGet(record.length);
        return durable;
    }

    void append(byte[] record) {
        journal.append(record);
        bytesSinceCompaction.addAndGet(record.length);
    }

    /**
     * Completes once every record appended so far is durable. Under the change lock, so that compaction cannot swap
     * the journal in between: a journal that compaction closes afterwards forces its records and completes the
     * barrier as it closes, and a new one starts from a forced snapshot.
     */
    CompletableFuture<Void> forceAppended() {
        Lock shared = changeLock();
        shared.lock();
        try {
            return journal.forceAppended();
        } finally {
            shared.unlock();
        }
    }

    long forcedWrites() {
        return earlierForcedWrites + journal.forcedWrites();
    }

    /**
     * Compacts the file if it grew by {@code logGrowthBytesMax} since the last compaction. Called after a call
     * finished, by a thread that holds no lock of any bank; one thread compacts, the others go on.
     *
     * @throws JournalException if a journal fails
     * @throws IOException if the new file cannot be renamed over the old one
     */
    void compactIfGrown() throws IOException {
        Supplier<List<byte[]>> source = snapshotSource;
        if (source == null
                || bytesSinceCompaction.get() < logGrowthBytesMax
                || !compacting.compareAndSet(false, true)) {
            return;
        }
        Lock exclusive = compactionLock.writeLock();
        exclusive.lock();
        try {
            if (!closed) {
                compact(source.get());
                journal.releaseRecoveredRecords();
            }
        } finally {
            exclusive.unlock();
            compacting.set(false);
        }
    }

    /**
     * Replaces the file with {@code snapshot}: the records are written to a new file, which is forced and then
     * renamed over the log, so a crash at any point leaves either the old log or the complete new one.
     *
     * @throws JournalException if a journal fails
     * @throws IOException if the new file cannot be renamed over the old one
     */
    void compact(List<byte[]> snapshot) throws IOException {
        Path file = journal.file();
        Path next = file.resolveSibling(file.getFileName() + ".compacting");
        journal.close();
        long forces = journal.forcedWrites();
        Files.deleteIfExists(next);
        try (Journal compacted = Journal.open(next, options)) {
            for (byte[] record : snapshot) {
                compacted.append(record);
            }
            compacted.close();
            forces += compacted.forcedWrites();
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (options.fsync()) {
            try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            }
            forces++;
        }
        journal = Journal.open(file, options);
        earlierForcedWrites += forces;
        bytesSinceCompaction.set(0);
    }

    /** Closes the file, after any compaction in progress; appends fail from then on. */
    @Override
    public void close() {
        Lock exclusive = compactionLock.writeLock();
        exclusive.lock();
        try {
            closed = true;
            journal.close();
        } finally {
            exclusive.unlock();
        }
    }
}
