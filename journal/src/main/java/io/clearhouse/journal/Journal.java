package io.clearhouse.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An append-only log file of checksummed records with group commit.
 *
 * <p>Appenders frame their record and add it to the pending group under a short lock. One flusher thread per
 * journal takes the whole pending group, writes it with one positional write and, if any record in it asked for
 * durability, one {@code force(false)}; then it completes the futures of that group. While it forces, the next
 * group fills, so under load one force covers as many records as arrived during the previous one. A full group
 * makes appenders wait (back-pressure) instead of growing without bound.
 *
 * <p>Futures returned by {@link #appendDurably} complete on the flusher thread, in append order: dependent actions
 * attached without an executor run there and delay the next group, so they must be short. Completing them on a
 * second thread was tried and measured slower on two cores: waking waiters costs CPU wherever it runs, and smaller
 * groups cost more forces.
 *
 * <p>Lazy records ({@link #append}) keep their place in the file order; they are written with the next group that
 * is written for any reason and are forced with the next force, or at {@link #close}. A crash may lose them.
 *
 * <p>At open, a torn tail (an incomplete last record, or a bad one with no valid record after it) is dropped and the
 * file truncated to its last valid record; a bad record followed by a valid one is corruption, not a torn write, and
 * open fails with a {@link JournalException} naming the file and the offset (see {@link JournalReader}).
 *
 * <p>A journal file belongs to one open journal at a time: {@link #open} takes an exclusive file lock.
 */
public final class Journal implements AutoCloseable {
    private final Path file;
    private final JournalOptions options;
    private final FileChannel channel;
    private final FileLock fileLock;
    private volatile List<byte[]> recoveredRecords;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushNeeded = lock.newCondition();
    private final Condition groupHasRoom = lock.newCondition();
    private final Thread flusher;

    private PendingGroup pending = new PendingGroup();
    private PendingGroup spare = new PendingGroup();
    private int appendersWaitingForRoom;
    private boolean flusherWaiting;
    private boolean closing;
    private JournalException failure;

    private long writePosition;
    private boolean unforcedWrites;
    private volatile long forcedWrites;

    private Journal(
            Path file, JournalOptions options, FileChannel channel, FileLock fileLock, JournalReader.Scan scan) {
        this.file = file;
        this.options = options;
        this.channel = channel;
        this.fileLock = fileLock;
        this.recoveredRecords = scan.records();
        this.writePosition = scan.validEnd();
        this.flusher = new Thread(this::runFlusher, "journal-flusher-" + file.getFileName());
        this.flusher.setDaemon(true);
    }

    /**
     * Opens {@code file}, creating it and its parent directories if missing, reads its valid records, and drops a
     * torn tail (the file is truncated to its last valid record).
     *
     * @throws JournalException if the file cannot be opened, is not a journal, or is corrupt before its tail
     */
    public static Journal open(Path file, JournalOptions options) {
        Path absolute = file.toAbsolutePath();
        FileChannel channel = null;
        try {
            Path firstCreated = createDirectories(absolute.getParent());
            boolean existed = Files.exists(absolute);
            channel = FileChannel.open(
                    absolute, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock fileLock = lockExclusively(absolute, channel);
            JournalReader.Scan scan = new JournalReader(absolute, options.recordBytesMax()).scan(channel);
            scan = prepareForAppends(absolute, channel, scan, options.fsync());
            if (!existed && options.fsync()) {
                forceDirectoriesUpTo(absolute.getParent(), firstCreated);
            }
            Journal journal = new Journal(absolute, options, channel, fileLock, scan);
            journal.flusher.start();
            return journal;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            if (e instanceof JournalException journalException) {
                throw journalException;
            }
            throw new JournalException(absolute, "cannot open: " + e, e);
        }
    }

    private static FileLock lockExclusively(Path file, FileChannel channel) throws IOException {
        try {
            FileLock fileLock = channel.tryLock();
            if (fileLock == null) {
                throw new JournalException(file, "already open in another process");
            }
            return fileLock;
        } catch (OverlappingFileLockException e) {
            throw new JournalException(file, "already open in this process", e);
        }
    }

    /** Writes the header of a new file, or cuts a torn tail off an existing one, and makes that durable. */
    private static JournalReader.Scan prepareForAppends(
            Path file, FileChannel channel, JournalReader.Scan scan, boolean fsync) throws IOException {
        if (scan.needsHeader()) {
            channel.truncate(0);
            channel.write(Framing.fileHeader(), 0);
        } else if (scan.validEnd() < channel.size()) {
            channel.truncate(scan.validEnd());
        } else {
            return scan;
        }
        if (fsync) {
            channel.force(true);
        }
        return new JournalReader.Scan(scan.records(), channel.size(), false);
    }

    /** Creates the missing directories of {@code directory}; returns the topmost one created, or null if none was. */
    static Path createDirectories(Path directory) throws IOException {
        Path firstCreated = null;
        for (Path missing = directory; missing != null && !Files.isDirectory(missing); missing = missing.getParent()) {
            firstCreated = missing;
        }
        Files.createDirectories(directory);
        return firstCreated;
    }

    /**
     * Forces the directory that holds the new file and, if directories were created for it, each of their parents,
     * so that after a power loss the new file can still be found by its path.
     */
    static void forceDirectoriesUpTo(Path directory, Path firstCreated) throws IOException {
        forceDirectory(directory);
        if (firstCreated == null) {
            return;
        }
        for (Path created = directory; !created.equals(firstCreated); created = created.getParent()) {
            forceDirectory(created.getParent());
        }
        forceDirectory(firstCreated.getParent());
    }

    static void forceDirectory(Path directory) throws IOException {
        try (FileChannel directoryChannel = FileChannel.open(directory, StandardOpenOption.READ)) {
            directoryChannel.force(true);
        }
    }

    private static void closeQuietly(FileChannel channel, Exception primary) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    /** The file this journal writes. */
    public Path file() {
        return file;
    }

    /**
     * The valid records found when the journal was opened, in file order.
     *
     * @throws IllegalStateException after {@link #releaseRecoveredRecords()}
     */
    public List<byte[]> recoveredRecords() {
        List<byte[]> records = recoveredRecords;
        if (records == null) {
            throw new IllegalStateException("journal " + file + ": recovered records were released");
        }
        return records;
    }

    /** Lets the records read at open be garbage collected, once their reader has restored its state from them. */
    public void releaseRecoveredRecords() {
        recoveredRecords = null;
    }

    /**
     * Appends {@code record}; the future completes once a force covers it (or once it is written, if fsync is off),
     * or completes exceptionally with a {@link JournalException}. Waits while the pending group is full.
     *
     * @throws JournalException at once if the journal is closed or a write or force already failed
     * @throws IllegalArgumentException if the record is longer than {@code recordBytesMax}
     */
    public CompletableFuture<Void> appendDurably(byte[] record) {
        int checksum = checkedChecksum(record);
        CompletableFuture<Void> written = new CompletableFuture<>();
        lock.lock();
        try {
            awaitRoom(record.length);
            pending.addDurable(record, checksum, written);
            if (flusherWaiting) {
                flushNeeded.signal();
            }
        } finally {
            lock.unlock();
        }
        return written;
    }

    /**
     * A barrier: the future completes once every record appended before this call, lazy ones included, is durable
     * (forced, or written if fsync is off), or exceptionally with a {@link JournalException}. It goes through the
     * group commit like a durable record, so barriers and durable appends made together share one force; it writes
     * nothing, and forces only if something written is not yet forced. A caller that appended lazily and must not
     * answer before its record is durable waits for this.
     *
     * @throws JournalException at once if the journal is closed or a write or force already failed
     */
    public CompletableFuture<Void> forceAppended() {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        lock.lock();
        try {
            ensureUsable();
            pending.addBarrier(durable);
            if (flusherWaiting) {
                flushNeeded.signal();
            }
        } finally {
            lock.unlock();
        }
        return durable;
    }

    /** Appends {@code record} and returns once it is durable. */
    public void appendDurablyAndWait(byte[] record) {
        try {
            appendDurably(record).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof JournalException journalException) {
                throw journalException;
            }
            throw new JournalException(file, "durable append failed", e.getCause());
        }
    }

    /** Appends {@code record} without waiting: it is written and forced with the next durable group, or at close. */
    public void append(byte[] record) {
        int checksum = checkedChecksum(record);
        lock.lock();
        try {
            awaitRoom(record.length);
            pending.add(record, checksum);
        } finally {
            lock.unlock();
        }
    }

    private int checkedChecksum(byte[] record) {
        if (record.length > options.recordBytesMax()) {
            throw new IllegalArgumentException("journal " + file + ": record of " + record.length
                    + " bytes exceeds recordBytesMax " + options.recordBytesMax());
        }
        return Framing.checksum(record);
    }

    /** Waits, holding {@link #lock}, until the pending group can take a record of {@code length} bytes. */
    private void awaitRoom(int length) {
        ensureUsable();
        int framed = Framing.RECORD_HEADER_BYTES + length;
        while (pending.records() >= options.groupRecordsMax()
                || (!pending.isEmpty() && pending.bytes() + framed > options.groupBytesMax())) {
            appendersWaitingForRoom++;
            try {
                flushNeeded.signal();
                groupHasRoom.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JournalException(file, "interrupted while waiting for room in the pending group", e);
            } finally {
                appendersWaitingForRoom--;
            }
            ensureUsable();
        }
    }

    private void ensureUsable() {
        if (failure != null) {
            throw failure;
        }
        if (closing) {
            throw new JournalException(file, "closed");
        }
    }

    /** How many forces the journal has made since it opened (0 with fsync off). */
    public long forcedWrites() {
        return forcedWrites;
    }

    private void runFlusher() {
        boolean last = false;
        while (!last) {
            PendingGroup group;
            lock.lock();
            try {
                awaitWork();
                last = closing;
                group = pending;
                pending = spare;
                spare = null;
                groupHasRoom.signalAll();
            } finally {
                lock.unlock();
            }
            if (!flushGroup(group, last)) {
                return;
            }
            lock.lock();
            try {
                spare = group;
            } finally {
                lock.unlock();
            }
        }
    }

    private void awaitWork() {
        while (!closing && !pending.forceRequested() && appendersWaitingForRoom == 0) {
            flusherWaiting = true;
            flushNeeded.awaitUninterruptibly();
            flusherWaiting = false;
        }
    }

    /** Writes and forces one group, completes its waiters; returns false after a failure, which ends the flusher. */
    private boolean flushGroup(PendingGroup group, boolean last) {
        try {
            if (!group.isEmpty()) {
                writePosition += group.writeTo(channel, writePosition);
                unforcedWrites = true;
            }
            if ((group.forceRequested() || last) && unforcedWrites && options.fsync()) {
                channel.force(false);
                forcedWrites++;
            }
            if (group.forceRequested() || last) {
                unforcedWrites = false;
            }
            group.completeWaiters();
            group.clear();
            return true;
        } catch (IOException | RuntimeException e) {
            JournalException failed = new JournalException(file, "write or force failed at offset " + writePosition, e);
            failAll(group, failed);
            return false;
        }
    }

    private void failAll(PendingGroup group, JournalException failed) {
        group.failWaiters(failed);
        lock.lock();
        try {
            failure = failed;
            pending.failWaiters(failed);
            pending.clear();
            groupHasRoom.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes and forces every pending record, lazy ones included, stops the flusher and closes the file. Appends
     * after close fail. Idempotent.
     *
     * @throws JournalException if the final write or force failed
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            flushNeeded.signal();
        } finally {
            lock.unlock();
        }
        joinFlusher();
        try {
            if (channel.isOpen()) {
                fileLock.release();
                channel.close();
            }
        } catch (IOException e) {
            throw new JournalException(file, "close failed", e);
        }
        lock.lock();
        try {
            if (failure != null) {
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    private void joinFlusher() {
        boolean interrupted = false;
        while (flusher.isAlive()) {
            try {
                flusher.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
