package io.clearhouse.api.batch;

import io.clearhouse.api.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the text of a batch file into {@link BatchLine}s in file order, applying the format rules in their order of
 * precedence: {@code INVALID_FORMAT}, {@code DUPLICATE_ID}, {@code INVALID_AMOUNT}, {@code SAME_ACCOUNT}.
 *
 * <p>Blank lines produce nothing. The header is recognised only as the first non-blank line and, being no
 * transaction, does not reserve the id {@code transaction_id}. Every first field of an earlier non-blank line counts
 * for {@code DUPLICATE_ID}, whatever that line's own outcome.
 */
public final class BatchFileParser {
    public static final String HEADER = "transaction_id,source_account,destination_account,amount";
    private static final int FIELD_COUNT = 4;
    private static final String BYTE_ORDER_MARK = "\uFEFF";
    /** Digits of 2^63-1; a longer run of significant digits cannot be a valid amount. */
    private static final int LONG_DIGITS_MAX = 19;

    private final Set<String> seenIds = new HashSet<>();
    private int lineNumber;
    private boolean sawNonBlankLine;

    /** Parses the whole text of a file. */
    public static List<BatchLine> parse(BufferedReader reader) throws IOException {
        BatchFileParser parser = new BatchFileParser();
        List<BatchLine> lines = new ArrayList<>();
        String text;
        while ((text = reader.readLine()) != null) {
            BatchLine line = parser.next(text);
            if (line != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    /**
     * Parses the next physical line.
     *
     * @param text the line without its terminator
     * @return the parsed line, or {@code null} for a blank line or the header
     */
    public BatchLine next(String text) {
        lineNumber++;
        if (lineNumber == 1 && text.startsWith(BYTE_ORDER_MARK)) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            return null;
        }
        boolean first = !sawNonBlankLine;
        sawNonBlankLine = true;
        if (first && text.strip().equals(HEADER)) {
            return null;
        }
        String[] fields = text.split(",", -1);
        for (int i = 0; i < fields.length; i++) {
            fields[i] = fields[i].strip();
        }
        String id = fields[0];
        String reportedId = id.isEmpty() ? null : id;
        boolean duplicate = !seenIds.add(id);
        if (fields.length != FIELD_COUNT || id.isEmpty() || fields[1].isEmpty() || fields[2].isEmpty()) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.INVALID_FORMAT);
        }
        if (duplicate) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.DUPLICATE_ID);
        }
        long amount = parseAmount(fields[3]);
        if (amount <= 0) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.INVALID_AMOUNT);
        }
        if (fields[1].equals(fields[2])) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.SAME_ACCOUNT);
        }
        return new BatchLine.Transfer(lineNumber, id, fields[1], fields[2], amount);
    }

    /**
     * Reads a decimal integer of ASCII digits with an optional leading minus.
     *
     * @return the value when it lies in 1..2^63-1, otherwise 0 (negative values, zero, overflow and garbage are all
     *     equally invalid amounts)
     */
    static long parseAmount(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start) {
            return 0;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
        }
        if (start == 1) {
            return 0;
        }
        int firstSignificant = 0;
        while (firstSignificant < text.length() - 1 && text.charAt(firstSignificant) == '0') {
            firstSignificant++;
        }
        String digits = text.substring(firstSignificant);
        if (digits.length() > LONG_DIGITS_MAX) {
            return 0;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException overflow) {
            return 0;
        }
    }
}
