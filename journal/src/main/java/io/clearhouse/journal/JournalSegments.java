package io.clearhouse.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A journal kept as a series of files, so that its oldest part can be dropped whole instead of being rewritten. The
 * first segment is the base file itself ({@code decisions.log}), so a journal written as one file before segments
 * existed reads as the first segment; each later one adds its number ({@code decisions.log.000001}).
 *
 * <p>Only the newest segment is ever written, so a segment's last-modified time is the time of its last write: the
 * file system keeps it through a crash, and no second file has to be kept consistent with the segments. Older
 * segments are only read, torn tail and all ({@link JournalReader} stops before it), and never truncated.
 *
 * <p>The segments of one journal belong to one holder at a time: {@link #lock} takes an exclusive lock on the file
 * {@code <base>.lock} beside them, since a second holder would read a segment while it is written and delete segments
 * the first still counts on.
 */
public final class JournalSegments implements AutoCloseable {
    static final String LOCK_SUFFIX = ".lock";
    private static final int NUMBER_DIGITS_MAX = 18;

    /** One segment file, its number in the series (the base file is 0), and when it was last written. */
    public record Segment(Path file, long number, long lastWrittenMillis) {}

    private final Path base;
    private final JournalOptions options;
    private final FileChannel lockChannel;

    private JournalSegments(Path base, JournalOptions options, FileChannel lockChannel) {
        this.base = base;
        this.options = options;
        this.lockChannel = lockChannel;
    }

    /**
     * Takes the segments of the journal whose first segment is {@code base}, creating its directories if missing.
     *
     * @throws JournalException if another holder, in this process or another, has them
     */
    public static JournalSegments lock(Path base, JournalOptions options) {
        Path absolute = base.toAbsolutePath();
        Path lockFile = absolute.resolveSibling(absolute.getFileName() + LOCK_SUFFIX);
        FileChannel channel = null;
        try {
            Path firstCreated = Journal.createDirectories(absolute.getParent());
            if (firstCreated != null && options.fsync()) {
                Journal.forceDirectoriesUpTo(absolute.getParent(), firstCreated);
            }
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock = channel.tryLock();
            if (fileLock == null) {
                throw new JournalException(lockFile, "already held by another process");
            }
            return new JournalSegments(absolute, options, channel);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new JournalException(lockFile, "already held in this process", e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            if (e instanceof JournalException journalException) {
                throw journalException;
            }
            throw new JournalException(lockFile, "cannot be locked: " + e, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // The lock goes with the channel; nothing else was held.
        }
    }

    /** The segments on disk, oldest (lowest number) first. */
    public List<Segment> list() {
        String baseName = base.getFileName().toString();
        try (Stream<Path> entries = Files.list(base.getParent())) {
            List<Segment> segments = new ArrayList<>();
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Optional<Long> number = numberOf(baseName, entry.getFileName().toString());
                if (number.isPresent() && Files.isRegularFile(entry)) {
                    segments.add(new Segment(
                            entry,
                            number.get(),
                            Files.getLastModifiedTime(entry).toMillis()));
                }
            }
            segments.sort(Comparator.comparingLong(Segment::number));
            return segments;
        } catch (IOException e) {
            throw new JournalException(base, "cannot list the segments: " + e, e);
        }
    }

    private static Optional<Long> numberOf(String baseName, String name) {
        if (name.equals(baseName)) {
            return Optional.of(0L);
        }
        if (!name.startsWith(baseName + ".")) {
            return Optional.empty();
        }
        String suffix = name.substring(baseName.length() + 1);
        if (suffix.isEmpty()
                || suffix.length() > NUMBER_DIGITS_MAX
                || !suffix.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(suffix));
    }

    /** The file of the segment after {@code newest}, or the base file when there is no segment yet. */
    public Path fileAfter(Optional<Segment> newest) {
        return newest.map(segment -> base.resolveSibling(
                        String.format("%s.%06d", base.getFileName(), Math.addExact(segment.number(), 1))))
                .orElse(base);
    }

    /**
     * The valid records of a segment that is not being written, in file order; a torn tail is left out, not cut off.
     *
     * @throws JournalException if the file is not a journal or is corrupt before its tail
     */
    public List<byte[]> read(Segment segment) {
        try (FileChannel channel = FileChannel.open(segment.file(), StandardOpenOption.READ)) {
            return new JournalReader(segment.file(), options.recordBytesMax())
                    .scan(channel)
                    .records();
        } catch (IOException e) {
            throw new JournalException(segment.file(), "cannot read: " + e, e);
        }
    }

    /**
     * Deletes {@code segments} oldest first, so that a crash in between leaves a newer part of the journal rather
     * than an older one, then forces the directory.
     */
    public void delete(List<Segment> segments) {
        List<Segment> oldestFirst = new ArrayList<>(segments);
        oldestFirst.sort(Comparator.comparingLong(Segment::number));
        for (Segment segment : oldestFirst) {
            try {
                Files.delete(segment.file());
            } catch (IOException e) {
                throw new JournalException(segment.file(), "cannot delete: " + e, e);
            }
        }
        if (!oldestFirst.isEmpty() && options.fsync()) {
            try {
                Journal.forceDirectory(base.getParent());
            } catch (IOException e) {
                throw new JournalException(base.getParent(), "cannot force the directory: " + e, e);
            }
        }
    }

    /** Releases the segments for the next holder. */
    @Override
    public void close() {
        try {
            lockChannel.close();
        } catch (IOException e) {
            throw new JournalException(base, "cannot release the lock: " + e, e);
        }
    }
}
