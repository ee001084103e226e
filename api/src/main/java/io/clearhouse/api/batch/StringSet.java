package io.clearhouse.api.batch;

/**
 * A set of strings that can also be asked for a stretch of a line without cutting the stretch out first. The parser
 * keeps two: the ids seen so far, half a million of them in a large batch, where a hash set would add a node of 32
 * bytes to each; and the account ids, a few thousand named across half a million lines, where a substring per field
 * would be garbage at once, and one shared string per account lets later map lookups match by identity. On a machine
 * where fresh memory is dear, every byte a line costs is time (docs/benchmarks.md section 11).
 *
 * <p>Open addressing over the strings' own {@link String#hashCode()}, computed from the characters as {@code String}
 * computes it, so that a stored string's cached hash compares directly. Not thread-safe: one parser owns it.
 */
final class StringSet {
    private static final int INITIAL_SLOTS = 1024;

    private String[] slots = new String[INITIAL_SLOTS];
    private int size;

    /** The member equal to {@code text[start, end)}, added on first sight. */
    String canonical(String text, int start, int end) {
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + text.charAt(i);
        }
        int slot = slotOf(hash, text, start, end - start);
        String known = slots[slot];
        if (known != null) {
            return known;
        }
        String added = text.substring(start, end);
        occupy(slot, added);
        return added;
    }

    /** Adds {@code value}; false when an equal string was already a member. */
    boolean add(String value) {
        int slot = slotOf(value.hashCode(), value, 0, value.length());
        if (slots[slot] != null) {
            return false;
        }
        occupy(slot, value);
        return true;
    }

    /** The slot that holds the member equal to {@code text[start, start + length)}, or the empty slot it would take. */
    private int slotOf(int hash, String text, int start, int length) {
        int mask = slots.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            String known = slots[slot];
            if (known == null
                    || (known.hashCode() == hash
                            && known.length() == length
                            && text.regionMatches(start, known, 0, length))) {
                return slot;
            }
        }
    }

    /** Mixes the high bits in, since strings that differ only in their last characters differ only in low bits. */
    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    private void occupy(int slot, String value) {
        slots[slot] = value;
        if (++size * 2 > slots.length) {
            grow();
        }
    }

    private void grow() {
        String[] old = slots;
        slots = new String[old.length * 2];
        int mask = slots.length - 1;
        for (String member : old) {
            if (member != null) {
                int slot = spread(member.hashCode()) & mask;
                while (slots[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = member;
            }
        }
    }
}
