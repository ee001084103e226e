package io.clearhouse.api.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Generated batch files, from near-valid lines to garbage, parsed by {@link BatchFileParser} and by a plain reference
 * written from the format's rules (docs/batch.md) with {@code split}: both must agree on every line, and nothing but
 * a line result may come out, whatever the bytes. Tries: {@code jqwik.tries.default} (10,000; 100,000 for the long
 * run).
 */
class BatchFileParserProperties {
    private static final int ID_LENGTH_MAX = 12;
    private static final int LINES_MAX = 1_000;

    @Property
    void everyLineIsJudgedAsTheFormatsRulesSay(@ForAll("files") List<String> physicalLines, @ForAll boolean crlf)
            throws IOException {
        String text = String.join(crlf ? "\r\n" : "\n", physicalLines);

        List<BatchLine> parsed =
                BatchFileParser.parse(new BufferedReader(new StringReader(text)), LINES_MAX, ID_LENGTH_MAX);

        assertThat(parsed).isEqualTo(reference(physicalLines));
    }

    @Property
    void aFileBeyondTheLineLimitStopsAtTheFirstLineOver(@ForAll("files") List<String> physicalLines)
            throws IOException {
        List<BatchLine> all = reference(physicalLines);
        int linesMax = all.size() / 2;
        String text = String.join("\n", physicalLines);
        try {
            List<BatchLine> parsed =
                    BatchFileParser.parse(new BufferedReader(new StringReader(text)), linesMax, ID_LENGTH_MAX);
            assertThat(parsed).isEqualTo(all).hasSizeLessThanOrEqualTo(linesMax);
        } catch (BatchTooLargeException e) {
            assertThat(all.size()).isGreaterThan(linesMax);
            assertThat(e.lineNumber()).isEqualTo(all.get(linesMax).lineNumber());
        }
    }

    @Provide
    Arbitrary<List<String>> files() {
        Arbitrary<String> line = Arbitraries.frequencyOf(
                Tuple.of(6, nearlyValidLine()),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                BatchFileParser.HEADER,
                                " " + BatchFileParser.HEADER + "\t",
                                "\uFEFF" + BatchFileParser.HEADER,
                                "",
                                "   ",
                                "\t")),
                Tuple.of(
                        1,
                        Arbitraries.strings().all().ofMaxLength(30).map(BatchFileParserProperties::withoutLineBreaks)));
        return line.list().ofMaxSize(12);
    }

    private static Arbitrary<String> nearlyValidLine() {
        Arbitrary<String> id = Arbitraries.oneOf(
                Arbitraries.of("t1", "t2", "t3", "t1 ", " t2", "", "transaction_id"),
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(ID_LENGTH_MAX + 2),
                Arbitraries.of("a\u0000b", "x\u0085", "\uD83D\uDCB0", "\uD800", "tail\uDC00", "caf\u00e9"));
        Arbitrary<String> account = Arbitraries.oneOf(
                Arbitraries.of("alice", "bob", "carol", " alice", "bob\t", "", "a,b", "\u00a0alice", "\u2003bob"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(ID_LENGTH_MAX + 2));
        Arbitrary<String> amount = Arbitraries.oneOf(
                Arbitraries.of(
                        "1",
                        "10",
                        "007",
                        " 5 ",
                        "0",
                        "-0",
                        "-5",
                        "+5",
                        "1.5",
                        "1e3",
                        "",
                        "abc",
                        "\uFF11",
                        "9223372036854775807",
                        "9223372036854775808",
                        "99999999999999999999",
                        "-9223372036854775808"),
                Arbitraries.longs().map(String::valueOf));
        Arbitrary<String> extra = Arbitraries.of("", "", "", ",", ",x", ",,");
        return Combinators.combine(id, account, account, amount, extra)
                .as((i, from, to, value, more) -> i + "," + from + "," + to + "," + value + more);
    }

    private static String withoutLineBreaks(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }

    /** The format's rules, written the plain way; see docs/batch.md. */
    private static List<BatchLine> reference(List<String> physicalLines) {
        List<BatchLine> lines = new ArrayList<>();
        Set<String> seenIds = new HashSet<>();
        boolean sawNonBlank = false;
        // A text that ends with a line break has no line after it; BufferedReader sees the same lines.
        List<String> read = physicalLines;
        if (!read.isEmpty() && read.get(read.size() - 1).isEmpty()) {
            read = read.subList(0, read.size() - 1);
        }
        for (int index = 0; index < read.size(); index++) {
            int number = index + 1;
            String text = read.get(index);
            if (number == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (text.isBlank()) {
                continue;
            }
            boolean first = !sawNonBlank;
            sawNonBlank = true;
            if (first && text.strip().equals(BatchFileParser.HEADER)) {
                continue;
            }
            String[] fields = text.split(",", -1);
            String id = fields[0].strip();
            String reportedId = id.isEmpty() ? null : id;
            boolean duplicate = !seenIds.add(id);
            if (fields.length != 4 || id.isEmpty()) {
                lines.add(new BatchLine.Refused(number, reportedId, Reason.INVALID_FORMAT));
                continue;
            }
            String from = fields[1].strip();
            String to = fields[2].strip();
            if (from.isEmpty() || to.isEmpty() || !storable(id) || !storable(from) || !storable(to)) {
                lines.add(new BatchLine.Refused(number, reportedId, Reason.INVALID_FORMAT));
            } else if (duplicate) {
                lines.add(new BatchLine.Refused(number, reportedId, Reason.DUPLICATE_ID));
            } else if (amount(fields[3].strip()) <= 0) {
                lines.add(new BatchLine.Refused(number, reportedId, Reason.INVALID_AMOUNT));
            } else if (from.equals(to)) {
                lines.add(new BatchLine.Refused(number, reportedId, Reason.SAME_ACCOUNT));
            } else {
                lines.add(new BatchLine.Transfer(number, id, from, to, amount(fields[3].strip())));
            }
        }
        return lines;
    }

    private static boolean storable(String id) {
        return id.length() <= ID_LENGTH_MAX
                && id.codePoints().noneMatch(c -> Character.isISOControl(c) || (c >= 0xD800 && c <= 0xDFFF));
    }

    /** The amount in 1..2^63-1, or 0 for anything else. */
    private static long amount(String text) {
        if (!text.matches("[0-9]+")) {
            return 0;
        }
        BigInteger value = new BigInteger(text);
        return value.signum() > 0 && value.bitLength() < 64 ? value.longValueExact() : 0;
    }
}
