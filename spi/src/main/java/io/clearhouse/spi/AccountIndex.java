package io.clearhouse.spi;

import java.util.Arrays;

/**
 * Account ids in the order they were added, each once, with the position of an id found in constant time.
 *
 * <p>A bank or a routing table of a million accounts would spend some 60 bytes per account on a {@code HashMap}
 * entry and its share of the table; this index spends one reference in an array of ids and two {@code int}s, the
 * head of a hash chain and the link to the next position in it, so that what an account costs is mostly its id.
 * Positions are dense, {@code 0..size()-1}, so callers keep whatever else they know of an account in arrays indexed
 * the same way. Hash codes are spread as {@code HashMap} spreads them, keeping their order, so that ids added in
 * order (a state file's {@code "7-0"}, {@code "7-1"}, ...) land in neighbouring chains and building the index walks
 * memory nearly in order instead of missing the cache once per id.
 *
 * <p>Not thread-safe while ids are added; once built and published (through a final field, say), any number of
 * threads may read it.
 */
public final class AccountIndex {
    private static final int CAPACITY_MIN = 8;
    /** Arrays of ids stay well below the JVM's limit on an array's length. */
    private static final int CAPACITY_MAX = 1 << 30;

    private String[] ids;
    /** For each position, the position + 1 of the next id in its chain, or 0 at a chain's end. */
    private int[] next;
    /** For each chain, the position + 1 of its first id, or 0 if it is empty; its length is a power of two. */
    private int[] chains;

    private int size;

    /** An empty index with room for {@code expected} ids before it grows. */
    public AccountIndex(int expected) {
        if (expected < 0 || expected > CAPACITY_MAX) {
            throw new IllegalArgumentException("expected ids must be in 0.." + CAPACITY_MAX + ", not " + expected);
        }
        allocate(Math.max(expected, CAPACITY_MIN));
    }

    private void allocate(int capacity) {
        ids = ids == null ? new String[capacity] : Arrays.copyOf(ids, capacity);
        next = next == null ? new int[capacity] : Arrays.copyOf(next, capacity);
        chains = new int[Integer.highestOneBit(capacity - 1) << 1];
    }

    /**
     * Adds {@code id} at the next position unless it is there already.
     *
     * @return whether it was added
     */
    public boolean add(String id) {
        if (indexOf(id) >= 0) {
            return false;
        }
        if (size == ids.length) {
            grow();
        }
        int chain = chainOf(id);
        ids[size] = id;
        next[size] = chains[chain];
        size++;
        chains[chain] = size;
        return true;
    }

    /** The position of {@code id}, or -1 if it is not in the index. */
    public int indexOf(String id) {
        int position = chains[chainOf(id)] - 1;
        while (position >= 0 && !ids[position].equals(id)) {
            position = next[position] - 1;
        }
        return position;
    }

    /** The id at {@code position}, which must be below {@link #size()}. */
    public String id(int position) {
        if (position >= size) {
            throw new IndexOutOfBoundsException("position " + position + " of " + size + " account ids");
        }
        return ids[position];
    }

    public int size() {
        return size;
    }

    private int chainOf(String id) {
        int hash = id.hashCode();
        return (hash ^ (hash >>> 16)) & (chains.length - 1);
    }

    private void grow() {
        if (ids.length == CAPACITY_MAX) {
            throw new IllegalStateException("an account index holds at most " + CAPACITY_MAX + " ids");
        }
        allocate(ids.length * 2);
        for (int position = 0; position < size; position++) {
            int chain = chainOf(ids[position]);
            next[position] = chains[chain];
            chains[chain] = position + 1;
        }
    }
}
