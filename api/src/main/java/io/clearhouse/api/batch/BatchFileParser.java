package io.clearhouse.api.batch;

import io.clearhouse.api.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    private static final String BYTE_ORDER_MARK = "\uFEFF";
    /** Digits of 2^63-1; a longer run of significant digits cannot be a valid amount. */
    private static final int LONG_DIGITS_MAX = 19;

    private final Set<String> seenIds = new HashSet<>();
    private final Map<String, String> accountIds = new HashMap<>();
    private int lineNumber;
    private boolean sawNonBlankLine;

    /** Parses the whole text of a file. */
    public static List<BatchLine> parse(BufferedReader reader) throws IOException {
        return parse(reader, Integer.MAX_VALUE);
    }

    /**
     * Parses a file of at most {@code linesMax} result lines (blank lines and the header do not count), reading no
     * further than the first line beyond.
     *
     * @throws BatchTooLargeException at the first line beyond {@code linesMax}
     */
    public static List<BatchLine> parse(BufferedReader reader, int linesMax) throws IOException {
        BatchFileParser parser = new BatchFileParser();
        List<BatchLine> lines = new ArrayList<>();
        String text;
        while ((text = reader.readLine()) != null) {
            BatchLine line = parser.next(text);
            if (line != null) {
                if (lines.size() == linesMax) {
                    throw new BatchTooLargeException(linesMax, line.lineNumber());
                }
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
        // The fields are cut at the commas by hand, as split(",", -1) would cut them: half a million lines would
        // otherwise each pay for a list, an array and a copy of it.
        int firstComma = text.indexOf(',');
        int secondComma = firstComma < 0 ? -1 : text.indexOf(',', firstComma + 1);
        int thirdComma = secondComma < 0 ? -1 : text.indexOf(',', secondComma + 1);
        boolean fourFields = thirdComma >= 0 && text.indexOf(',', thirdComma + 1) < 0;
        String id = field(text, 0, firstComma < 0 ? text.length() : firstComma);
        String reportedId = id.isEmpty() ? null : id;
        boolean duplicate = !seenIds.add(id);
        if (!fourFields || id.isEmpty()) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.INVALID_FORMAT);
        }
        String from = field(text, firstComma + 1, secondComma);
        String to = field(text, secondComma + 1, thirdComma);
        if (from.isEmpty() || to.isEmpty()) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.INVALID_FORMAT);
        }
        if (duplicate) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.DUPLICATE_ID);
        }
        long amount = parseAmount(field(text, thirdComma + 1, text.length()));
        if (amount <= 0) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.INVALID_AMOUNT);
        }
        if (from.equals(to)) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.SAME_ACCOUNT);
        }
        return new BatchLine.Transfer(lineNumber, id, canonical(from), canonical(to), amount);
    }

    /**
     * One instance per account id: a batch names a few thousand accounts across half a million lines, and sharing
     * the string keeps the parsed file small (less for the garbage collector to copy) and lets later map lookups
     * of the same account match by identity.
     */
    private String canonical(String account) {
        String known = accountIds.putIfAbsent(account, account);
        return known != null ? known : account;
    }

    /** The text between {@code start} and {@code end}, stripped of surrounding whitespace. */
    private static String field(String text, int start, int end) {
        return text.substring(start, end).strip();
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
