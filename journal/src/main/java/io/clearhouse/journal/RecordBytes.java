package io.clearhouse.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A record's bytes as the codecs on the journal write them: numbers big-endian, as {@link java.io.DataOutput} writes
 * them, and text as an int length then its UTF-8 bytes (DataOutput's own form caps a string at 65,535 bytes). Every
 * branch of a durable transfer writes a few records, and a {@code DataOutputStream} over a {@code
 * ByteArrayOutputStream} cost four objects, a grown buffer and a final copy for each; a record sized with {@link
 * #textBytes} comes out as the very array it was written into. Ids and account names are nearly always ASCII, whose
 * UTF-8 bytes are its chars, so such text is copied char by char with no array of its own.
 */
public final class RecordBytes {
    private byte[] bytes;
    private int size;

    /** @param expectedBytes the record's size when known (then no copy is made), or a guess */
    public RecordBytes(int expectedBytes) {
        bytes = new byte[Math.max(expectedBytes, 16)];
    }

    /** What {@link #writeText} takes for {@code text}: exact for ASCII, an upper bound otherwise. */
    public static int textBytes(String text) {
        return Integer.BYTES + (isAscii(text) ? text.length() : 3 * text.length());
    }

    public RecordBytes writeByte(int value) {
        room(1);
        bytes[size++] = (byte) value;
        return this;
    }

    public RecordBytes writeInt(int value) {
        room(Integer.BYTES);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    public RecordBytes writeLong(long value) {
        room(Long.BYTES);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** @throws IllegalArgumentException if the text's UTF-8 form is longer than {@code bytesMax} */
    public RecordBytes writeText(String text, int bytesMax) {
        if (isAscii(text)) {
            int length = text.length();
            checkLength(length, bytesMax);
            writeInt(length);
            room(length);
            for (int i = 0; i < length; i++) {
                bytes[size++] = (byte) text.charAt(i);
            }
            return this;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        checkLength(utf8.length, bytesMax);
        writeInt(utf8.length);
        room(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
        return this;
    }

    /** The record: the array written into when it was sized exactly, else a copy of what was written. */
    public byte[] toByteArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    private void room(int more) {
        if (bytes.length - size < more) {
            bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more));
        }
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static void checkLength(int bytes, int bytesMax) {
        if (bytes > bytesMax) {
            throw new IllegalArgumentException("a record's text is limited to " + bytesMax + " bytes; got " + bytes);
        }
    }
}
