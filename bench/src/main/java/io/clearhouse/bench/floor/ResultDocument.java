package io.clearhouse.bench.floor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the batch output document as UTF-8 bytes, one result at a time as the lines are applied:
 * {@code {"results":[{"line":2,"transaction_id":"t1","status":"committed"},...],"final_state":{...}}} and a newline,
 * on one line. Strings are escaped as the command's JSON library escapes them: {@code \"}, {@code \\}, the five short
 * escapes {@code \b \t \n \f \r}, a backslash, {@code u00} and two upper-case hex digits for the other characters below U+0020, nothing
 * else; a lone surrogate becomes {@code ?}, as the UTF-8 encoder of the command's standard output makes it.
 */
final class ResultDocument {
    private static final int BUFFER_BYTES = 1 << 16;
    /** Room for a character's longest encoding, a six-byte escape or four bytes of UTF-8, without a bounds check each. */
    private static final int CHARACTER_BYTES_MAX = 6;

    private static final byte[] START = ascii("{\"results\":[");
    private static final byte[] LINE = ascii("{\"line\":");
    private static final byte[] TRANSACTION_ID = ascii(",\"transaction_id\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] FINAL_STATE = ascii("],\"final_state\":{");
    private static final byte[] END = ascii("}}\n");
    private static final byte[] HEX = ascii("0123456789ABCDEF");

    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int used;
    private boolean firstResult = true;

    ResultDocument(OutputStream out) throws IOException {
        this.out = out;
        write(START);
    }

    /** One result; an empty id is written as {@code null}. */
    void result(int lineNumber, String transactionId, Outcome outcome) throws IOException {
        if (!firstResult) {
            writeByte(',');
        }
        firstResult = false;
        write(LINE);
        writeLong(lineNumber);
        write(TRANSACTION_ID);
        if (transactionId.isEmpty()) {
            write(NULL);
        } else {
            writeString(transactionId);
        }
        writeByte(',');
        write(outcome.resultEnd());
    }

    /** The balances after the batch, banks and accounts in the state file's order, then the end of the document. */
    void finish(Ledger ledger) throws IOException {
        write(FINAL_STATE);
        int slot = 0;
        boolean firstBank = true;
        for (Ledger.Bank bank : ledger.banks()) {
            if (!firstBank) {
                writeByte(',');
            }
            firstBank = false;
            writeString(bank.id());
            writeByte(':');
            writeByte('{');
            for (int i = 0; i < bank.accounts(); i++, slot++) {
                if (i > 0) {
                    writeByte(',');
                }
                writeString(ledger.accountId(slot));
                writeByte(':');
                writeLong(ledger.balance(slot));
            }
            writeByte('}');
        }
        write(END);
        flush();
    }

    private void writeString(String text) throws IOException {
        writeByte('"');
        for (int i = 0; i < text.length(); i++) {
            room(CHARACTER_BYTES_MAX);
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                buffer[used++] = (byte) c;
            } else if (c < 0x80) {
                escape(c);
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                encode(Character.toCodePoint(c, text.charAt(++i)));
            } else {
                encode(Character.isSurrogate(c) ? '?' : c);
            }
        }
        writeByte('"');
    }

    private void escape(char c) {
        buffer[used++] = '\\';
        switch (c) {
            case '"', '\\' -> buffer[used++] = (byte) c;
            case '\b' -> buffer[used++] = 'b';
            case '\t' -> buffer[used++] = 't';
            case '\n' -> buffer[used++] = 'n';
            case '\f' -> buffer[used++] = 'f';
            case '\r' -> buffer[used++] = 'r';
            default -> {
                buffer[used++] = 'u';
                buffer[used++] = '0';
                buffer[used++] = '0';
                buffer[used++] = HEX[c >> 4];
                buffer[used++] = HEX[c & 0xF];
            }
        }
    }

    /** UTF-8 of a code point that is not ASCII, or of the ASCII replacement of a lone surrogate. */
    private void encode(int codePoint) {
        if (codePoint < 0x80) {
            buffer[used++] = (byte) codePoint;
        } else if (codePoint < 0x800) {
            buffer[used++] = (byte) (0xC0 | codePoint >> 6);
            buffer[used++] = (byte) (0x80 | codePoint & 0x3F);
        } else if (codePoint < 0x10000) {
            buffer[used++] = (byte) (0xE0 | codePoint >> 12);
            buffer[used++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
            buffer[used++] = (byte) (0x80 | codePoint & 0x3F);
        } else {
            buffer[used++] = (byte) (0xF0 | codePoint >> 18);
            buffer[used++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
            buffer[used++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
            buffer[used++] = (byte) (0x80 | codePoint & 0x3F);
        }
    }

    /** A decimal integer, digits written backwards into place: no string per number. */
    private void writeLong(long value) throws IOException {
        room(20);
        if (value < 0) {
            throw new IllegalStateException("a line number or balance is never negative: " + value);
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        int at = used + digits;
        long rest = value;
        do {
            buffer[--at] = (byte) ('0' + rest % 10);
            rest /= 10;
        } while (rest > 0);
        used += digits;
    }

    private void writeByte(char c) throws IOException {
        room(1);
        buffer[used++] = (byte) c;
    }

    private void write(byte[] bytes) throws IOException {
        room(bytes.length);
        System.arraycopy(bytes, 0, buffer, used, bytes.length);
        used += bytes.length;
    }

    private void room(int bytes) throws IOException {
        if (used + bytes > buffer.length) {
            flush();
        }
    }

    private void flush() throws IOException {
        out.write(buffer, 0, used);
        used = 0;
        out.flush();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
