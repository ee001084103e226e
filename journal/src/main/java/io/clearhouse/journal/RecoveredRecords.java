package io.clearhouse.journal;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The valid records of a journal file read at open, kept as the file's bytes and the offset of each payload; each
 * {@link #get} copies one payload out. A reader replaying a large journal thus holds one array the size of the file
 * (which the collector never copies) instead of a small array per record, which a generational collector would copy
 * from young to old space one by one: over a million such records made most of a restart's time (issue 17).
 */
final class RecoveredRecords extends AbstractList<byte[]> implements RandomAccess {
    private final byte[] content;
    private int[] starts = new int[1024];
    private int[] ends = new int[1024];
    private int size;

    RecoveredRecords(byte[] content) {
        this.content = content;
    }

    /** Takes the payload at {@code [start, end)} of the file as the next record. */
    void add(int start, int end) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    @Override
    public byte[] get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("record " + index + " of " + size);
        }
        return Arrays.copyOfRange(content, starts[index], ends[index]);
    }

    @Override
    public int size() {
        return size;
    }
}
