package io.clearhouse.bench.floor;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The rules of docs/batch.md that depend on the file alone, applied to one decoded line at a time: blank lines and the
 * header produce nothing; every other line is refused with the first of {@code INVALID_FORMAT}, {@code DUPLICATE_ID},
 * {@code INVALID_AMOUNT} and {@code SAME_ACCOUNT} it breaks, or handed on as a transfer. Fields are trimmed as
 * {@link String#strip()} trims; the id of every earlier non-blank line but the header counts for duplicates, whatever
 * that line's outcome.
 */
final class LineRules {
    static final String HEADER = "transaction_id,source_account,destination_account,amount";
    /** The longest id or account, in UTF-16 code units: what the decision logs store. */
    static final int ID_LENGTH_MAX = 16_384;

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final LineSink sink;
    private final Set<String> seenIds = new HashSet<>();
    private boolean sawNonBlankLine;

    LineRules(LineSink sink) {
        this.sink = sink;
    }

    /** Judges the physical line {@code lineNumber}, held in {@code text[0, length)} without its terminator. */
    void accept(int lineNumber, char[] text, int length) throws IOException {
        int start = lineNumber == 1 && length > 0 && text[0] == BYTE_ORDER_MARK ? 1 : 0;
        int from = strippedStart(text, start, length);
        if (from == length) {
            return;
        }
        boolean first = !sawNonBlankLine;
        sawNonBlankLine = true;
        if (first && isHeader(text, from, strippedEnd(text, from, length))) {
            return;
        }
        int firstComma = indexOfComma(text, start, length);
        int secondComma = indexOfComma(text, firstComma + 1, length);
        int thirdComma = indexOfComma(text, secondComma + 1, length);
        boolean fourFields = thirdComma < length && indexOfComma(text, thirdComma + 1, length) == length;
        String id = stripped(text, start, firstComma);
        boolean duplicate = !seenIds.add(id);
        if (!fourFields || id.isEmpty()) {
            sink.refused(lineNumber, id, Outcome.INVALID_FORMAT);
            return;
        }
        String source = stripped(text, firstComma + 1, secondComma);
        String destination = stripped(text, secondComma + 1, thirdComma);
        if (!storable(source) || !storable(destination) || !storable(id)) {
            sink.refused(lineNumber, id, Outcome.INVALID_FORMAT);
        } else if (duplicate) {
            sink.refused(lineNumber, id, Outcome.DUPLICATE_ID);
        } else {
            long amount = amount(text, thirdComma + 1, length);
            if (amount <= 0) {
                sink.refused(lineNumber, id, Outcome.INVALID_AMOUNT);
            } else if (source.equals(destination)) {
                sink.refused(lineNumber, id, Outcome.SAME_ACCOUNT);
            } else {
                sink.transfer(lineNumber, id, source, destination, amount);
            }
        }
    }

    /**
     * Not empty, not too long, and free of control characters. A decoded line holds no unpaired surrogate (a bad byte
     * sequence becomes U+FFFD), so unlike the command's shared rule this needs no surrogate check.
     */
    private static boolean storable(String field) {
        if (field.isEmpty() || field.length() > ID_LENGTH_MAX) {
            return false;
        }
        for (int i = 0; i < field.length(); i++) {
            if (Character.isISOControl(field.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A decimal integer in 1..2^63-1 (ASCII digits, an optional leading minus), or 0 for anything else. */
    private static long amount(char[] text, int start, int end) {
        int from = strippedStart(text, start, end);
        int to = strippedEnd(text, from, end);
        boolean negative = from < to && text[from] == '-';
        int digits = negative ? from + 1 : from;
        if (digits == to) {
            return 0;
        }
        long value = 0;
        boolean overflow = false;
        for (int i = digits; i < to; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                return 0;
            }
            overflow |= value > (Long.MAX_VALUE - digit) / 10;
            value = overflow ? value : value * 10 + digit;
        }
        return negative || overflow ? 0 : value;
    }

    private static boolean isHeader(char[] text, int start, int end) {
        if (end - start != HEADER.length()) {
            return false;
        }
        for (int i = 0; i < HEADER.length(); i++) {
            if (text[start + i] != HEADER.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first comma in {@code text[start, end)}, or {@code end}; {@code start} may be past it. */
    private static int indexOfComma(char[] text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (text[i] == ',') {
                return i;
            }
        }
        return end;
    }

    private static String stripped(char[] text, int start, int end) {
        if (start >= end) {
            return "";
        }
        int from = strippedStart(text, start, end);
        return new String(text, from, strippedEnd(text, from, end) - from);
    }

    private static int strippedStart(char[] text, int start, int end) {
        while (start < end && Character.isWhitespace(text[start])) {
            start++;
        }
        return start;
    }

    private static int strippedEnd(char[] text, int start, int end) {
        while (end > start && Character.isWhitespace(text[end - 1])) {
            end--;
        }
        return end;
    }
}
