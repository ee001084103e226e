package io.clearhouse.api.batch;

import io.clearhouse.api.Reason;
import io.clearhouse.api.TransactionRules;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the text of a batch file into {@link BatchLine}s in file order, applying the format rules in their order of
 * precedence: {@code INVALID_FORMAT}, {@code DUPLICATE_ID}, {@code INVALID_AMOUNT}, {@code SAME_ACCOUNT}.
 *
 * <p>Blank lines produce nothing. The header is recognised only as the first non-blank line and, being no
 * transaction, does not reserve the id {@code transaction_id}. Every first field of an earlier non-blank line counts
 * for {@code DUPLICATE_ID}, whatever that line's own outcome.
 *
 * <p>An id or account that no decision log or bank could store (longer than the limit, or holding a control
 * character: {@link TransactionRules#checkId}) makes the line {@code INVALID_FORMAT}, so it never reaches the engine.
 */
public final class BatchFileParser {
    public static final String HEADER = "transaction_id,source_account,destination_account,amount";
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private final StringSet seenIds = new StringSet();
    private final StringSet accountIds = new StringSet();
    private final int idLengthMax;
    private int lineNumber;
    private boolean sawNonBlankLine;

    /** A parser of ids and accounts of at most {@link TransactionRules#ID_LENGTH_MAX_DEFAULT} characters. */
    public BatchFileParser() {
        this(TransactionRules.ID_LENGTH_MAX_DEFAULT);
    }

    /** A parser that refuses ids and accounts longer than {@code idLengthMax} characters. */
    public BatchFileParser(int idLengthMax) {
        if (idLengthMax <= 0) {
            throw new IllegalArgumentException("idLengthMax must be positive: " + idLengthMax);
        }
        this.idLengthMax = idLengthMax;
    }

    /** Parses the whole text of a file. */
    public static List<BatchLine> parse(BufferedReader reader) throws IOException {
        return parse(reader, Integer.MAX_VALUE);
    }

    /** Parses a file of at most {@code linesMax} result lines, ids of the default length at most. */
    public static List<BatchLine> parse(BufferedReader reader, int linesMax) throws IOException {
        return parse(reader, linesMax, TransactionRules.ID_LENGTH_MAX_DEFAULT);
    }

    /**
     * Parses a file of at most {@code linesMax} result lines (blank lines and the header do not count), reading no
     * further than the first line beyond.
     *
     * @param idLengthMax the longest id or account, in characters
     * @return the lines in file order, an unmodifiable list
     * @throws BatchTooLargeException at the first line beyond {@code linesMax}
     */
    public static List<BatchLine> parse(BufferedReader reader, int linesMax, int idLengthMax) throws IOException {
        BatchFileParser parser = new BatchFileParser(idLengthMax);
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
        // Exactly sized and unmodifiable, so that a run that copies it defensively gets this one back: half a
        // million lines would otherwise keep two arrays of references alive, the grown list's and the copy's.
        return List.copyOf(lines);
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
        // The fields are found between the commas by hand, as split(",", -1) would cut them, and only the id is cut
        // out: half a million lines would otherwise each pay for a list, an array and a string per field, and on a
        // machine where fresh memory is dear, every byte allocated costs time (docs/benchmarks.md section 11).
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
        int fromStart = strippedStart(text, firstComma + 1, secondComma);
        int fromEnd = strippedEnd(text, fromStart, secondComma);
        int toStart = strippedStart(text, secondComma + 1, thirdComma);
        int toEnd = strippedEnd(text, toStart, thirdComma);
        if (fromStart == fromEnd || toStart == toEnd) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.INVALID_FORMAT);
        }
        if (!TransactionRules.storableId(id, 0, id.length(), idLengthMax)
                || !TransactionRules.storableId(text, fromStart, fromEnd, idLengthMax)
                || !TransactionRules.storableId(text, toStart, toEnd, idLengthMax)) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.INVALID_FORMAT);
        }
        if (duplicate) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.DUPLICATE_ID);
        }
        int amountStart = strippedStart(text, thirdComma + 1, text.length());
        long amount = parseAmount(text, amountStart, strippedEnd(text, amountStart, text.length()));
        if (amount <= 0) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.INVALID_AMOUNT);
        }
        String from = accountIds.canonical(text, fromStart, fromEnd);
        String to = accountIds.canonical(text, toStart, toEnd);
        // One instance per account id, so the same instance is the same account.
        if (from == to) {
            return new BatchLine.Refused(lineNumber, reportedId, Reason.SAME_ACCOUNT);
        }
        return new BatchLine.Transfer(lineNumber, id, from, to, amount);
    }

    /** The text between {@code start} and {@code end}, stripped of surrounding whitespace. */
    private static String field(String text, int start, int end) {
        int stripped = strippedStart(text, start, end);
        return text.substring(stripped, strippedEnd(text, stripped, end));
    }

    /** Where {@code text[start, end)} begins once stripped as {@link String#strip()} would strip it. */
    private static int strippedStart(String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        return start;
    }

    /** Where {@code text[start, end)} ends once stripped; {@code start} is already past leading whitespace. */
    private static int strippedEnd(String text, int start, int end) {
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /**
     * Reads a decimal integer of ASCII digits with an optional leading minus.
     *
     * @return the value when it lies in 1..2^63-1, otherwise 0 (negative values, zero, overflow and garbage are all
     *     equally invalid amounts)
     */
    static long parseAmount(String text) {
        return parseAmount(text, 0, text.length());
    }

    private static long parseAmount(String text, int start, int end) {
        boolean negative = start < end && text.charAt(start) == '-';
        int digitsStart = negative ? start + 1 : start;
        if (digitsStart == end) {
            return 0;
        }
        long value = 0;
        boolean overflow = false;
        for (int i = digitsStart; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            int digit = c - '0';
            // Keeps reading past an overflow: a later character that is no digit is garbage all the same.
            if (value > (Long.MAX_VALUE - digit) / 10) {
                overflow = true;
            } else {
                value = value * 10 + digit;
            }
        }
        return negative || overflow ? 0 : value;
    }
}
