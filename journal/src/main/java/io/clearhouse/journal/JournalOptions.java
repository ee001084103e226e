package io.clearhouse.journal;

/**
 * The journal's settings: how it writes, and the bounds that keep its memory and its records finite. Each bound is
 * checked here with a message naming it. A holder of a journal exposes them as its own settings: a durable memory
 * bank as {@code log-record-bytes-max} and {@code log-group-records-max} of the banks file, the batch command's file
 * decision log with these defaults.
 *
 * @param fsync whether a durable append waits for {@code FileChannel.force}; false still writes, for tests
 * @param groupRecordsMax the most records one write and force carries; appenders wait while the next group is full.
 *     At least 1; 8,192 by default, so that one force is shared by thousands of records while a waiting group's
 *     memory stays bounded
 * @param groupBytesMax the most framed bytes one group holds in memory; appenders wait while the next group is full.
 *     At least one record of {@code recordBytesMax} with its header; 8 MiB by default, eight of the largest default
 *     records
 * @param recordBytesMax the largest payload accepted when writing, and believed when reading (a larger length read
 *     back is taken for corruption, not allocated). 0..{@code Integer.MAX_VALUE - 64}, the most a frame and a
 *     Java array can carry; 1 MiB by default
 */
public record JournalOptions(boolean fsync, int groupRecordsMax, int groupBytesMax, int recordBytesMax) {
    public JournalOptions {
        if (groupRecordsMax < 1) {
            throw new IllegalArgumentException("groupRecordsMax must be at least 1: " + groupRecordsMax);
        }
        if (recordBytesMax < 0 || recordBytesMax > Framing.PAYLOAD_BYTES_LIMIT) {
            throw new IllegalArgumentException(
                    "recordBytesMax must lie in 0.." + Framing.PAYLOAD_BYTES_LIMIT + ": " + recordBytesMax);
        }
        if ((long) groupBytesMax < (long) recordBytesMax + Framing.RECORD_HEADER_BYTES) {
            throw new IllegalArgumentException(
                    "groupBytesMax " + groupBytesMax + " cannot hold one record of recordBytesMax " + recordBytesMax);
        }
    }

    public static final int GROUP_RECORDS_MAX_DEFAULT = 8_192;
    public static final int RECORD_BYTES_MAX_DEFAULT = 1 << 20;

    /** fsync on, groups of up to 8,192 records and 8 MiB, records of up to 1 MiB. */
    public static JournalOptions defaults() {
        return new JournalOptions(true, GROUP_RECORDS_MAX_DEFAULT, 8 << 20, RECORD_BYTES_MAX_DEFAULT);
    }

    public JournalOptions withFsync(boolean fsync) {
        return new JournalOptions(fsync, groupRecordsMax, groupBytesMax, recordBytesMax);
    }
}
