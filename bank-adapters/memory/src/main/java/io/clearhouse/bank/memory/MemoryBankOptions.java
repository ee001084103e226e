package io.clearhouse.bank.memory;

import io.clearhouse.journal.JournalOptions;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A memory bank's settings: how it keeps its state, and every limit of its write-ahead log. Each limit has a default
 * and a range checked here; a bank in a banks file takes them from its {@code settings} ({@link MemoryBankProvider}
 * names the keys, {@code docs/configuration.md} lists them).
 *
 * @param directory where the write-ahead log lives; empty for a bank held purely in memory, which a crash loses
 * @param fsync whether the write-ahead log forces prepare records to disk before the bank votes COMMIT
 * @param finishedXidsMax how many finished xids the bank remembers, at least unless the retention below passes first,
 *     to answer late and repeated calls (it keeps up to twice as many; about 100 bytes each). At least 1; 100,000 for
 *     a durable bank, 16 for one held in memory.
 *     A bank held in memory is called in-process, where no message is duplicated or late, and every marker it keeps
 *     outlives young garbage collections: with a thousand banks, a bound of 256 instead of 16 was measured to add
 *     about a second of collection pauses to a batch of 500,000 transfers. Raise it for a bank held in memory that is
 *     reached through a network or a simulation that duplicates and delays messages.
 * @param finishedXidsRetentionMillis the other bound on the markers: a generation of them also ends once it is this
 *     old (looked at every 64 markers), so the bank remembers a finished xid until it has finished {@code
 *     finishedXidsMax} more, or until this time has passed and 64 more were finished, whichever comes first. It bounds
 *     a bank's markers by its rate as well as by their count, so that a thousand durable banks do not fill the heap
 *     between them. At least 1; 60 s by default: twelve times the coordinator's default prepare timeout and longer
 *     than its phase-two retries take; a call to an in-process bank is never later than that
 * @param compactionRecordsMin how many records a snapshot of the state must save, at open, before the bank rewrites
 *     its write-ahead log as that snapshot. At least 1; 1,000 by default, so that a log is not rewritten at every
 *     open for a handful of records
 * @param logGrowthBytesMax how many bytes the write-ahead log may grow by while the bank runs before the bank
 *     rewrites it as a snapshot of its state, pausing its calls meanwhile; this bounds the file between opens. At
 *     least 1; 256 MiB by default, millions of records, so that the pause is rare
 * @param logRecordBytesMax the largest record the write-ahead log writes, and believes when it reads the log back
 *     (a larger length is taken for corruption). The opening record lists every account, so it is the one that
 *     needs room: a bank of millions of accounts may need more. {@value #LOG_RECORD_BYTES_MIN}..{@value
 *     #LOG_RECORD_BYTES_LIMIT}; 64 MiB by default, a few million accounts. Never lower it below a record a log
 *     already holds: that log would no longer open
 * @param logGroupRecordsMax the most records one write and force of the write-ahead log carries; appenders wait
 *     while the next group is full. At least 1; 8,192 by default, the journal's own default: a full group
 *     still shares one force among thousands of records, and the bound keeps a waiting group's memory in check
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
        int logRecordBytesMax,
        int logGroupRecordsMax,
        boolean phaseTwoDurable) {
    public static final int FINISHED_XIDS_MAX_DEFAULT = 100_000;
    public static final int FINISHED_XIDS_MAX_IN_MEMORY_DEFAULT = 16;
    public static final long FINISHED_XIDS_RETENTION_MILLIS_DEFAULT = 60_000;
    public static final int COMPACTION_RECORDS_MIN_DEFAULT = 1_000;
    public static final long LOG_GROWTH_BYTES_MAX_DEFAULT = 256L << 20;
    public static final int LOG_RECORD_BYTES_MAX_DEFAULT = 64 << 20;
    /** The journal's own default record bound; a bank's log needs at least as much room as any other journal. */
    public static final int LOG_RECORD_BYTES_MIN = JournalOptions.RECORD_BYTES_MAX_DEFAULT;
    /** 1 GiB: one full group, a record and its framing, is held in memory and must stay within an array. */
    public static final int LOG_RECORD_BYTES_LIMIT = 1 << 30;

    public static final int LOG_GROUP_RECORDS_MAX_DEFAULT = JournalOptions.GROUP_RECORDS_MAX_DEFAULT;
    /** Room for a group's framing beside its largest record. */
    private static final int GROUP_BYTES_SLACK = 1_024;

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
        if (logRecordBytesMax < LOG_RECORD_BYTES_MIN || logRecordBytesMax > LOG_RECORD_BYTES_LIMIT) {
            throw new IllegalArgumentException("logRecordBytesMax must lie in " + LOG_RECORD_BYTES_MIN + ".."
                    + LOG_RECORD_BYTES_LIMIT + ": " + logRecordBytesMax);
        }
        if (logGroupRecordsMax < 1) {
            throw new IllegalArgumentException("logGroupRecordsMax must be at least 1: " + logGroupRecordsMax);
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
                LOG_RECORD_BYTES_MAX_DEFAULT,
                LOG_GROUP_RECORDS_MAX_DEFAULT,
                false);
    }

    /** How the journal under the write-ahead log writes: with this bank's fsync and its log's record bounds. */
    JournalOptions journalOptions() {
        return new JournalOptions(fsync, logGroupRecordsMax, logRecordBytesMax + GROUP_BYTES_SLACK, logRecordBytesMax);
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

    public MemoryBankOptions withLogRecordBytesMax(int value) {
        Copy copy = new Copy(this);
        copy.logRecordBytesMax = value;
        return copy.build();
    }

    public MemoryBankOptions withLogGroupRecordsMax(int value) {
        Copy copy = new Copy(this);
        copy.logGroupRecordsMax = value;
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
        private int logRecordBytesMax;
        private int logGroupRecordsMax;
        private boolean phaseTwoDurable;

        Copy(MemoryBankOptions options) {
            directory = options.directory;
            fsync = options.fsync;
            finishedXidsMax = options.finishedXidsMax;
            finishedXidsRetentionMillis = options.finishedXidsRetentionMillis;
            compactionRecordsMin = options.compactionRecordsMin;
            logGrowthBytesMax = options.logGrowthBytesMax;
            logRecordBytesMax = options.logRecordBytesMax;
            logGroupRecordsMax = options.logGroupRecordsMax;
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
                    logRecordBytesMax,
                    logGroupRecordsMax,
                    phaseTwoDurable);
        }
    }
}
