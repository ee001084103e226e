package io.clearhouse.log.jpa.internal;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which client ids the log may hold an outcome for, so that a new id, nearly every id a server sees, is answered
 * without a query. A Bloom filter: no false negatives, about 1 % false positives (those cost one query each), about
 * 10 bits per id, so tens of millions of ids fit in tens of megabytes where the outcomes themselves would take
 * gigabytes.
 *
 * <p>It grows by segments: when the newest is full, a new one twice its size takes further ids, and a lookup asks
 * every segment. Thread-safe; bits are set with atomic updates, so an id added on one thread is seen by a lookup
 * that happens after it.
 */
public final class ClientIdFilter {
    private static final int HASHES = 7;
    private static final int BITS_PER_ID = 10;

    private final CopyOnWriteArrayList<Segment> segments = new CopyOnWriteArrayList<>();

    /** @param firstSegmentIds how many ids the first segment takes before the next one starts */
    public ClientIdFilter(int firstSegmentIds) {
        if (firstSegmentIds < 1) {
            throw new IllegalArgumentException("firstSegmentIds must be positive: " + firstSegmentIds);
        }
        segments.add(new Segment(firstSegmentIds));
    }

    public void add(String clientId) {
        long hash = hash(clientId);
        Segment newest = segments.get(segments.size() - 1);
        newest.add(hash);
        if (newest.full()) {
            grow(newest);
        }
    }

    private synchronized void grow(Segment full) {
        if (segments.get(segments.size() - 1) == full) {
            segments.add(new Segment((int) Math.min(Integer.MAX_VALUE / BITS_PER_ID, 2L * full.capacity)));
        }
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

        Segment(int capacity) {
            this.capacity = capacity;
            this.bits = Math.max(64L, (long) capacity * BITS_PER_ID);
            this.words = new AtomicLongArray((int) ((bits + 63) / 64));
        }

        void add(long hash) {
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
