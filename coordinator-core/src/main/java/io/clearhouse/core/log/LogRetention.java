package io.clearhouse.core.log;

import java.time.Clock;
import java.util.Objects;

/**
 * How long the file decision log keeps the records of finished transactions (an abort's outcome; a commit's decision
 * once its completion is written), and the clock it ages them by. This is the idempotency window: a client id whose
 * records are gone counts as new. Zero keeps everything.
 *
 * @param retentionMillis how long after its last write a segment of the log is kept whole; 0 keeps every segment
 * @param clock the time segments are aged against; tests pass one set in the future instead of waiting
 */
public record LogRetention(long retentionMillis, Clock clock) {
    public LogRetention {
        if (retentionMillis < 0) {
            throw new IllegalArgumentException("retentionMillis must not be negative: " + retentionMillis);
        }
        Objects.requireNonNull(clock, "clock");
    }

    /** Keeps every record for ever, as the log did before it had segments. */
    public static LogRetention keepingEverything() {
        return new LogRetention(0, Clock.systemUTC());
    }

    /** Forgets finished transactions {@code retentionMillis} after the segment that finished them was last written. */
    public static LogRetention ofMillis(long retentionMillis) {
        return new LogRetention(retentionMillis, Clock.systemUTC());
    }

    public LogRetention withClock(Clock clock) {
        return new LogRetention(retentionMillis, clock);
    }

    boolean keepsEverything() {
        return retentionMillis == 0;
    }

    /** Whether a segment last written at {@code lastWrittenMillis} is past the retention now. */
    boolean hasPassed(long lastWrittenMillis) {
        return !keepsEverything() && clock.millis() - lastWrittenMillis > retentionMillis;
    }
}
