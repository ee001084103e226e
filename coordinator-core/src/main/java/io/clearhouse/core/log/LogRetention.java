package io.clearhouse.core.log;

/**
 * How long the file decision log keeps the records of finished transactions (an abort's outcome; a commit's decision
 * once its completion is written). This is the idempotency window: a client id whose records are gone counts as new.
 * Zero keeps everything. Segments are aged by the system clock against their files' last-modified times, so a test
 * makes a segment old by setting that time rather than by waiting.
 *
 * @param retentionMillis how long after its last write a segment of the log is kept whole; 0 keeps every segment
 */
public record LogRetention(long retentionMillis) {
    public LogRetention {
        if (retentionMillis < 0) {
            throw new IllegalArgumentException("retentionMillis must not be negative: " + retentionMillis);
        }
    }

    /** Keeps every record for ever, as the log did before it had segments. */
    public static LogRetention keepingEverything() {
        return new LogRetention(0);
    }

    /** Forgets finished transactions {@code retentionMillis} after the segment that finished them was last written. */
    public static LogRetention ofMillis(long retentionMillis) {
        return new LogRetention(retentionMillis);
    }

    boolean keepsEverything() {
        return retentionMillis == 0;
    }

    /** Whether a segment last written at {@code lastWrittenMillis} is past the retention now. */
    boolean hasPassed(long lastWrittenMillis) {
        return !keepsEverything() && System.currentTimeMillis() - lastWrittenMillis > retentionMillis;
    }
}
