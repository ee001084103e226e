package io.clearhouse.bank.memory;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a memory bank keeps its state.
 *
 * @param directory where the write-ahead log lives; empty for a bank held purely in memory, which a crash loses
 * @param fsync whether the write-ahead log forces prepare records to disk before the bank votes COMMIT
 * @param finishedXidsMax how many finished xids the bank remembers, at least unless the retention below passes first,
 *     to answer late and repeated calls (it keeps up to twice as many; about 100 bytes each): 100,000 for a durable
 *     bank, 16 for one held in memory.
 *     A bank held in memory is called in-process, where no message is duplicated or late, and every marker it keeps
 *     outlives young garbage collections: with a thousand banks, a bound of 256 instead of 16 was measured to add
 *     about a second of collection pauses to a batch of 500,000 transfers. Raise it for a bank held in memory that is
 *     reached through a network or a simulation that duplicates and delays messages.
 * @param finishedXidsRetentionMillis the other bound on the markers: a generation of them also ends once it is this
 *     old (looked at every 64 markers), so the bank remembers a finished xid until it has finished {@code
 *     finishedXidsMax} more, or until this time has passed and 64 more were finished, whichever comes first. It bounds
 *     a bank's markers by its rate as well as by their count, so that a thousand durable banks do not fill the heap
 *     between them. 60 s by default: twelve times the coordinator's default prepare timeout and longer than its
 *     phase-two retries take; a call to an in-process bank is never later than that
 * @param compactionRecordsMin how many records a snapshot of the state must save, at open, before the bank rewrites
 *     its write-ahead log as that snapshot
 * @param logGrowthBytesMax how many bytes the write-ahead log may grow by while the bank runs before the bank
 *     rewrites it as a snapshot of its state, pausing its calls meanwhile; this bounds the file between opens
 * @param phaseTwoDurable whether a commit or rollback completes only once its record is durable (forced through the
 *     group commit, so concurrent ones share forces), so that an acknowledged commit survives a crash of the
 *     process; false by default, where those records are written lazily and a crash may bring an acknowledged commit
 *     back prepared, for the coordinator to commit again. Only for a bank with a directory. A bank server turns it
 *     on: its clients take an acknowledgement as final
 */
public record MemoryBankOptions(
        Optional<Path> directory,
        boolean fsync,
        int finishedXidsMax,
        long finishedXidsRetentionMillis,
        int compactionRecordsMin,
        long logGrowthBytesMax,
        boolean phaseTwoDurable) {
    public static final int FINISHED_XIDS_MAX_DEFAULT = 100_000;
    public static final int FINISHED_XIDS_MAX_IN_MEMORY_DEFAULT = 16;
    public static final long FINISHED_XIDS_RETENTION_MILLIS_DEFAULT = 60_000;
    public static final int COMPACTION_RECORDS_MIN_DEFAULT = 1_000;
    public static final long LOG_GROWTH_BYTES_MAX_DEFAULT = 256L << 20;

    public MemoryBankOptions {
        if (finishedXidsMax < 1) {
            throw new IllegalArgumentException("finishedXidsMax must be at least 1: " + finishedXidsMax);
        }
        if (finishedXidsRetentionMillis < 1) {
            throw new IllegalArgumentException(
                    "finishedXidsRetentionMillis must be at least 1: " + finishedXidsRetentionMillis);
        }
        if (compactionRecordsMin < 1) {
            throw new IllegalArgumentException("compactionRecordsMin must be at least 1: " + compactionRecordsMin);
        }
        if (logGrowthBytesMax < 1) {
            throw new IllegalArgumentException("logGrowthBytesMax must be at least 1: " + logGrowthBytesMax);
        }
        if (phaseTwoDurable && directory.isEmpty()) {
            throw new IllegalArgumentException("phaseTwoDurable needs a directory: a bank held in memory has no log");
        }
    }

    public static MemoryBankOptions inMemory() {
        return defaults(Optional.empty(), false, FINISHED_XIDS_MAX_IN_MEMORY_DEFAULT);
    }

    public static MemoryBankOptions durable(Path directory, boolean fsync) {
        return defaults(Optional.of(directory), fsync, FINISHED_XIDS_MAX_DEFAULT);
    }

    private static MemoryBankOptions defaults(Optional<Path> directory, boolean fsync, int finishedXidsMax) {
        return new MemoryBankOptions(
                directory,
                fsync,
                finishedXidsMax,
                FINISHED_XIDS_RETENTION_MILLIS_DEFAULT,
                COMPACTION_RECORDS_MIN_DEFAULT,
                LOG_GROWTH_BYTES_MAX_DEFAULT,
                false);
    }

    public MemoryBankOptions withFinishedXidsMax(int value) {
        Copy copy = new Copy(this);
        copy.finishedXidsMax = value;
        return copy.build();
    }

    public MemoryBankOptions withFinishedXidsRetentionMillis(long value) {
        Copy copy = new Copy(this);
        copy.finishedXidsRetentionMillis = value;
        return copy.build();
    }

    public MemoryBankOptions withCompactionRecordsMin(int value) {
        Copy copy = new Copy(this);
        copy.compactionRecordsMin = value;
        return copy.build();
    }

    public MemoryBankOptions withLogGrowthBytesMax(long value) {
        Copy copy = new Copy(this);
        copy.logGrowthBytesMax = value;
        return copy.build();
    }

    public MemoryBankOptions withPhaseTwoDurable(boolean value) {
        Copy copy = new Copy(this);
        copy.phaseTwoDurable = value;
        return copy.build();
    }

    /** A mutable copy, so that each wither names only what it changes (as {@code CoordinatorOptions} does). */
    private static final class Copy {
        private final Optional<Path> directory;
        private final boolean fsync;
        private int finishedXidsMax;
        private long finishedXidsRetentionMillis;
        private int compactionRecordsMin;
        private long logGrowthBytesMax;
        private boolean phaseTwoDurable;

        Copy(MemoryBankOptions options) {
            directory = options.directory;
            fsync = options.fsync;
            finishedXidsMax = options.finishedXidsMax;
            finishedXidsRetentionMillis = options.finishedXidsRetentionMillis;
            compactionRecordsMin = options.compactionRecordsMin;
            logGrowthBytesMax = options.logGrowthBytesMax;
            phaseTwoDurable = options.phaseTwoDurable;
        }

        MemoryBankOptions build() {
            return new MemoryBankOptions(
                    directory,
                    fsync,
                    finishedXidsMax,
                    finishedXidsRetentionMillis,
                    compactionRecordsMin,
                    logGrowthBytesMax,
                    phaseTwoDurable);
        }
    }
}
