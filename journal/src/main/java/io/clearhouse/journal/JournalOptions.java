package io.clearhouse.journal;

/**
 * How a journal writes.
 *
 * @param fsync whether a durable append waits for {@code FileChannel.force}; false still writes, for tests
 * @param groupRecordsMax the most records one write and force carries; appenders wait while the next group is full
 * @param groupBytesMax the most framed bytes one group holds in memory; appenders wait while the next group is full
 * @param recordBytesMax the largest payload accepted when writing, and believed when reading
 */
public record JournalOptions(boolean fsync, int groupRecordsMax, int groupBytesMax, int recordBytesMax) {
    public JournalOptions {
        if (groupRecordsMax < 1) {
            throw new IllegalArgumentException("groupRecordsMax must be at least 1: " + groupRecordsMax);
        }
        if (recordBytesMax < 0 || recordBytesMax > Framing.PAYLOAD_BYTES_LIMIT) {
            throw new IllegalArgumentException("recordBytesMax out of range: " + recordBytesMax);
        }
        if ((long) groupBytesMax < (long) recordBytesMax + Framing.RECORD_HEADER_BYTES) {
            throw new IllegalArgumentException(
                    "groupBytesMax " + groupBytesMax + " cannot hold one record of recordBytesMax " + recordBytesMax);
        }
    }

    /** fsync on, groups of up to 8,192 records and 8 MiB, records of up to 1 MiB. */
    public static JournalOptions defaults() {
        return new JournalOptions(true, 8192, 8 << 20, 1 << 20);
    }

    public JournalOptions withFsync(boolean fsync) {
        return new JournalOptions(fsync, groupRecordsMax, groupBytesMax, recordBytesMax);
    }

    public JournalOptions withGroupRecordsMax(int groupRecordsMax) {
        return new JournalOptions(fsync, groupRecordsMax, groupBytesMax, recordBytesMax);
    }

    public JournalOptions withRecordBytesMax(int recordBytesMax) {
        return new JournalOptions(
                fsync,
                groupRecordsMax,
                Math.max(groupBytesMax, recordBytesMax + Framing.RECORD_HEADER_BYTES),
                recordBytesMax);
    }
}
