package io.clearhouse.log.jpa.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Which client ids the log may hold an outcome for, so that a new id, nearly every id a server sees, is answered
 * without a query. A Bloom filter: no false negatives, about 1 % false positives (those cost one query each), about
 * 10 bits per id, so tens of millions of ids fit in tens of megabytes where the outcomes themselves would take
 * gigabytes.
 *
 * <p>It grows by segments: when the newest is full, a new one twice its size takes further ids, and a lookup asks
 * every segment. A segment also ends when it is older than the span it was given, so that each holds the ids of a
 * stretch of time, and once the log has pruned every outcome of that stretch the segment can be retired
 * ({@link #retireSegmentsLastAddedBefore}): memory then follows the log's retention, not its whole history.
 * Thread-safe; bits are set with atomic updates, so an id added on one thread is seen by a lookup that happens after
 * it.
 */
public final class ClientIdFilter {
    private static final int HASHES = 7;
    private static final int BITS_PER_ID = 10;

    private final CopyOnWriteArrayList<Segment> segments = new CopyOnWriteArrayList<>();
    private final long segmentSpanMillis;
    private final LongSupplier clockMillis;

    /** @param firstSegmentIds how many ids the first segment takes before the next one starts */
    public ClientIdFilter(int firstSegmentIds) {
        this(firstSegmentIds, Long.MAX_VALUE, System::currentTimeMillis);
    }

    /**
     * @param segmentSpanMillis how long a segment takes ids before the next one starts, full or not
     * @param clockMillis the time a segment is stamped with when it starts and at each id it takes
     */
    public ClientIdFilter(int firstSegmentIds, long segmentSpanMillis, LongSupplier clockMillis) {
        if (firstSegmentIds < 1) {
            throw new IllegalArgumentException("firstSegmentIds must be positive: " + firstSegmentIds);
        }
        if (segmentSpanMillis < 1) {
            throw new IllegalArgumentException("segmentSpanMillis must be positive: " + segmentSpanMillis);
        }
        this.segmentSpanMillis = segmentSpanMillis;
        this.clockMillis = clockMillis;
        segments.add(new Segment(firstSegmentIds, clockMillis.getAsLong()));
    }

    public void add(String clientId) {
        long hash = hash(clientId);
        long now = clockMillis.getAsLong();
        Segment newest = segments.get(segments.size() - 1);
        if (now - newest.startedMillis >= segmentSpanMillis) {
            newest = startNextSegment(newest, now);
        }
        newest.add(hash, now);
        if (newest.full()) {
            startNextSegment(newest, now);
        }
    }

    /** The newest segment once {@code ending} is followed by another. */
    private synchronized Segment startNextSegment(Segment ending, long now) {
        Segment newest = segments.get(segments.size() - 1);
        if (newest == ending) {
            int capacity = ending.full()
                    ? (int) Math.min(Integer.MAX_VALUE / BITS_PER_ID, 2L * ending.capacity)
                    : ending.capacity;
            newest = new Segment(capacity, now);
            segments.add(newest);
        }
        return newest;
    }

    /**
     * Drops every segment but the newest whose last id was added before {@code millis}. Only for a time by which
     * the log no longer holds an outcome for any id added before it, or a retried id would be taken for new.
     *
     * @return how many segments were dropped
     */
    public synchronized int retireSegmentsLastAddedBefore(long millis) {
        Segment newest = segments.get(segments.size() - 1);
        List<Segment> retired = new ArrayList<>();
        for (Segment segment : segments) {
            if (segment != newest && segment.lastAddedMillis < millis) {
                retired.add(segment);
            }
        }
        segments.removeAll(retired);
        return retired.size();
    }

    /** How many segments the filter holds. */
    public int segments() {
        return segments.size();
    }

    /** False only for an id never added. */
    public boolean mightContain(String clientId) {
        long hash = hash(clientId);
        for (Segment segment : segments) {
            if (segment.mightContain(hash)) {
                return true;
            }
        }
        return false;
    }

    /** The bytes the bits take. */
    public long sizeInBytes() {
        long bytes = 0;
        for (Segment segment : segments) {
            bytes += 8L * segment.words.length();
        }
        return bytes;
    }

    /** A 64-bit hash of the id's characters (FNV-1a, then a finalizer that spreads every bit over the word). */
    static long hash(String clientId) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < clientId.length(); i++) {
            hash ^= clientId.charAt(i);
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }

    private static final class Segment {
        private final int capacity;
        private final long bits;
        private final AtomicLongArray words;
        private final LongAdder count = new LongAdder();
        private final long startedMillis;
        private volatile long lastAddedMillis;

        Segment(int capacity, long startedMillis) {
            this.capacity = capacity;
            this.startedMillis = startedMillis;
            this.lastAddedMillis = startedMillis;
            this.bits = Math.max(64L, (long) capacity * BITS_PER_ID);
            this.words = new AtomicLongArray((int) ((bits + 63) / 64));
        }

        void add(long hash, long now) {
            lastAddedMillis = Math.max(lastAddedMillis, now);
            for (int i = 0; i < HASHES; i++) {
                long bit = bit(hash, i);
                long mask = 1L << bit;
                int word = (int) (bit >>> 6);
                if ((words.get(word) & mask) == 0) {
                    words.getAndAccumulate(word, mask, (current, set) -> current | set);
                }
            }
            count.increment();
        }

        boolean mightContain(long hash) {
            for (int i = 0; i < HASHES; i++) {
                long bit = bit(hash, i);
                if ((words.get((int) (bit >>> 6)) & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }

        /** The {@code i}-th bit of an id: its hash's halves combined (double hashing), as Bloom filters do. */
        private long bit(long hash, int i) {
            return Integer.toUnsignedLong((int) hash + i * (int) (hash >>> 32)) % bits;
        }

        boolean full() {
            return count.sum() >= capacity;
        }
    }
}
