package io.clearhouse.api.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchFileParserTest {
    private static final String HEADER = "transaction_id,source_account,destination_account,amount";

    private static List<BatchLine> parse(String text) throws IOException {
        return BatchFileParser.parse(new BufferedReader(new StringReader(text)));
    }

    private static BatchLine only(String line) throws IOException {
        List<BatchLine> lines = parse(line + "\n");
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    private static BatchLine.Transfer transfer(int line, String id, String from, String to, long amount) {
        return new BatchLine.Transfer(line, id, from, to, amount);
    }

    private static BatchLine.Refused refused(int line, String id, Reason reason) {
        return new BatchLine.Refused(line, id, reason);
    }

    @Test
    void parsesWellFormedTransfers() throws IOException {
        assertThat(parse("t1,a,b,10\nt2,b,c,20\n"))
                .containsExactly(transfer(1, "t1", "a", "b", 10), transfer(2, "t2", "b", "c", 20));
    }

    @Test
    void parsesLastLineWithoutTerminator() throws IOException {
        assertThat(parse("t1,a,b,10\nt2,b,c,20")).hasSize(2);
    }

    @Test
    void emptyFileHasNoLines() throws IOException {
        assertThat(parse("")).isEmpty();
        assertThat(parse("\n\n   \n")).isEmpty();
        assertThat(parse(HEADER + "\n")).isEmpty();
    }

    @Test
    void skipsBlankLinesButCountsThemInLineNumbers() throws IOException {
        assertThat(parse("\nt1,a,b,10\n   \n\t\n\nt2,b,c,20\n"))
                .containsExactly(transfer(2, "t1", "a", "b", 10), transfer(6, "t2", "b", "c", 20));
    }

    @Test
    void skipsHeaderOnFirstLine() throws IOException {
        assertThat(parse(HEADER + "\nt1,a,b,10\n")).containsExactly(transfer(2, "t1", "a", "b", 10));
    }

    @Test
    void skipsHeaderAsFirstNonBlankLineAfterBlankLines() throws IOException {
        assertThat(parse("\n  \n" + HEADER + "\nt1,a,b,10\n")).containsExactly(transfer(4, "t1", "a", "b", 10));
    }

    @Test
    void skipsHeaderWithSurroundingWhitespaceAndCrlf() throws IOException {
        assertThat(parse("  " + HEADER + " \r\nt1,a,b,10\r\n")).containsExactly(transfer(2, "t1", "a", "b", 10));
    }

    @Test
    void headerAfterFirstNonBlankLineIsAnInvalidAmountLine() throws IOException {
        assertThat(parse("t1,a,b,10\n" + HEADER + "\n"))
                .containsExactly(transfer(1, "t1", "a", "b", 10), refused(2, "transaction_id", Reason.INVALID_AMOUNT));
    }

    @Test
    void headerDoesNotReserveItsFirstFieldAsId() throws IOException {
        assertThat(parse(HEADER + "\ntransaction_id,a,b,10\n"))
                .containsExactly(transfer(2, "transaction_id", "a", "b", 10));
    }

    @Test
    void readsCrlfLineEndings() throws IOException {
        assertThat(parse("t1,a,b,10\r\n\r\nt2,b,c,20\r\n"))
                .containsExactly(transfer(1, "t1", "a", "b", 10), transfer(3, "t2", "b", "c", 20));
    }

    @Test
    void trimsWhitespaceAroundEveryField() throws IOException {
        assertThat(only("  t1 ,\ta , b\t,  10  ")).isEqualTo(transfer(1, "t1", "a", "b", 10));
    }

    @Test
    void ignoresByteOrderMarkAtStartOfFile() throws IOException {
        assertThat(parse("\uFEFF" + HEADER + "\nt1,a,b,10\n")).containsExactly(transfer(2, "t1", "a", "b", 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"t1,a,b", "t1,a,b,10,extra", "t1", "t1,a,b,10,", "t1 , a , b , 1 , 2"})
    void refusesLineWithoutExactlyFourFieldsAsInvalidFormat(String line) throws IOException {
        assertThat(only(line)).isEqualTo(refused(1, "t1", Reason.INVALID_FORMAT));
    }

    @Test
    void refusesEmptyIdSourceOrDestinationAsInvalidFormat() throws IOException {
        assertThat(parse(",a,b,10\n t2 , ,b,10\nt3,a,  ,10\n,,,\n"))
                .containsExactly(
                        refused(1, null, Reason.INVALID_FORMAT),
                        refused(2, "t2", Reason.INVALID_FORMAT),
                        refused(3, "t3", Reason.INVALID_FORMAT),
                        refused(4, null, Reason.INVALID_FORMAT));
    }

    @Test
    void emptyAmountIsInvalidAmountNotInvalidFormat() throws IOException {
        assertThat(only("t1,a,b,")).isEqualTo(refused(1, "t1", Reason.INVALID_AMOUNT));
    }

    @Test
    void refusesIdOfAnyEarlierLineAsDuplicate() throws IOException {
        assertThat(parse("t1,a,b,10\nt1,c,d,5\n"))
                .containsExactly(transfer(1, "t1", "a", "b", 10), refused(2, "t1", Reason.DUPLICATE_ID));
    }

    @Test
    void refusesIdOfEarlierRefusedLinesAsDuplicate() throws IOException {
        String text = String.join(
                "\n",
                "f1,a,b",
                "f2,a,b,10,x",
                "f3,,b,10",
                "a1,a,b,0",
                "s1,a,a,10",
                "f1,a,b,10",
                "f2,a,b,10",
                "f3,a,b,10",
                "a1,a,b,10",
                "s1,a,b,10");

        assertThat(parse(text).subList(5, 10))
                .extracting(BatchLine.Refused.class::cast)
                .extracting(BatchLine.Refused::reason)
                .containsOnly(Reason.DUPLICATE_ID);
    }

    @Test
    void comparesTrimmedIdsForDuplicates() throws IOException {
        assertThat(parse("t1,a,b,10\n  t1  ,c,d,5\nT1,c,d,5\n"))
                .containsExactly(
                        transfer(1, "t1", "a", "b", 10),
                        refused(2, "t1", Reason.DUPLICATE_ID),
                        transfer(3, "T1", "c", "d", 5));
    }

    @Test
    void invalidFormatTakesPrecedenceOverDuplicateId() throws IOException {
        assertThat(parse("t1,a,b,10\nt1,a,b\nt1,,b,10\n"))
                .containsExactly(
                        transfer(1, "t1", "a", "b", 10),
                        refused(2, "t1", Reason.INVALID_FORMAT),
                        refused(3, "t1", Reason.INVALID_FORMAT));
    }

    @Test
    void duplicateIdTakesPrecedenceOverInvalidAmountAndSameAccount() throws IOException {
        assertThat(parse("t1,a,b,10\nt1,a,b,-5\nt1,a,a,10\nt1,a,a,x\n"))
                .containsExactly(
                        transfer(1, "t1", "a", "b", 10),
                        refused(2, "t1", Reason.DUPLICATE_ID),
                        refused(3, "t1", Reason.DUPLICATE_ID),
                        refused(4, "t1", Reason.DUPLICATE_ID));
    }

    @Test
    void invalidAmountTakesPrecedenceOverSameAccount() throws IOException {
        assertThat(only("t1,a,a,0")).isEqualTo(refused(1, "t1", Reason.INVALID_AMOUNT));
    }

    @Test
    void refusesTransferToSourceAccountAsSameAccount() throws IOException {
        assertThat(only("t1, a ,a,10")).isEqualTo(refused(1, "t1", Reason.SAME_ACCOUNT));
    }

    @Test
    void refusesLineWithOtherSeparatorAsInvalidFormatWithWholeLineAsId() throws IOException {
        assertThat(only("t1;a;b;10")).isEqualTo(refused(1, "t1;a;b;10", Reason.INVALID_FORMAT));
    }

    @Test
    void sharesOneStringPerAccountAcrossLines() throws IOException {
        List<BatchLine> lines = parse("t1,a,b,1\nt2, b ,a,2\n");
        BatchLine.Transfer first = (BatchLine.Transfer) lines.get(0);
        BatchLine.Transfer second = (BatchLine.Transfer) lines.get(1);

        assertThat(second.from()).isSameAs(first.to());
        assertThat(second.to()).isSameAs(first.from());
    }

    @Test
    void accountsAreCaseSensitive() throws IOException {
        assertThat(only("t1,a,A,10")).isEqualTo(transfer(1, "t1", "a", "A", 10));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0",
                "-0",
                "-5",
                "+5",
                "1.5",
                "1e3",
                "0x10",
                "1 000",
                "",
                "-",
                "abc",
                "9223372036854775808",
                "-9223372036854775808",
                "99999999999999999999999999999999",
                "١٢",
                "１２",
                "٣"
            })
    void refusesAmountOutsideOneToLongMaxAsInvalidAmount(String amount) throws IOException {
        assertThat(BatchFileParser.parseAmount(amount)).isZero();
        assertThat(new BatchFileParser().next("t1,a,b," + amount)).isEqualTo(refused(1, "t1", Reason.INVALID_AMOUNT));
    }

    @Test
    void acceptsDecimalAmountsUpToLongMax() throws IOException {
        assertThat(parse("t1,a,b,1\nt2,a,b, 7 \nt3,a,b,007\nt4,a,b,9223372036854775807\n"
                        + "t5,a,b,00000000000000000000009223372036854775807\n"))
                .extracting(line -> ((BatchLine.Transfer) line).amount())
                .containsExactly(1L, 7L, 7L, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    @Test
    void reportsPhysicalLineNumbersForEveryKindOfLine() throws IOException {
        String text = "\r\n" + HEADER + "\r\n\r\nt1,a,b,10\r\n\r\nbad\r\nt1,a,b,10\r\n  \r\nt3,a,a,1\r\n";

        assertThat(parse(text))
                .containsExactly(
                        transfer(4, "t1", "a", "b", 10),
                        refused(6, "bad", Reason.INVALID_FORMAT),
                        refused(7, "t1", Reason.DUPLICATE_ID),
                        refused(9, "t3", Reason.SAME_ACCOUNT));
    }

    @Test
    void nextReturnsNullForBlankLinesAndHeader() {
        BatchFileParser parser = new BatchFileParser();

        assertThat(parser.next("   ")).isNull();
        assertThat(parser.next(HEADER)).isNull();
        assertThat(parser.next("t1,a,b,5")).isEqualTo(transfer(3, "t1", "a", "b", 5));
        assertThat(parser.next(HEADER)).isEqualTo(refused(4, "transaction_id", Reason.INVALID_AMOUNT));
    }

    @Test
    void acceptsUpToTheLimitCountingNeitherBlankLinesNorTheHeader() throws IOException {
        String text = HEADER + "\n\nt1,a,b,5\n\nt2,a,b,5\n";

        List<BatchLine> lines = BatchFileParser.parse(new BufferedReader(new StringReader(text)), 2);

        assertThat(lines).containsExactly(transfer(3, "t1", "a", "b", 5), transfer(5, "t2", "a", "b", 5));
    }

    @Test
    void stopsAtTheFirstLineBeyondTheLimitAndNamesIt() {
        String text = HEADER + "\nt1,a,b,5\n\nbad line\nt3,a,b,5\n";

        assertThatThrownBy(() -> BatchFileParser.parse(new BufferedReader(new StringReader(text)), 1))
                .isInstanceOfSatisfying(BatchTooLargeException.class, e -> {
                    assertThat(e.linesMax()).isEqualTo(1);
                    assertThat(e.lineNumber()).isEqualTo(4);
                    assertThat(e.getMessage()).isEqualTo("the batch has more than 1 lines (line 4 is one too many)");
                });
    }

    @Test
    void refusesIdsAndAccountsOverTheLimitAsInvalidFormatAndParsesTheRest() throws IOException {
        String longId = "x".repeat(257);
        String longAccount = "a".repeat(257);
        String text = HEADER + "\nt1,a,b,10\n" + longId + ",a,b,10\nt3," + longAccount + ",b,10\nt4,a," + longAccount
                + ",10\nt5,a,b,10\n" + "y".repeat(256) + ",a,b,10\n";

        assertThat(BatchFileParser.parse(new BufferedReader(new StringReader(text)), Integer.MAX_VALUE, 256))
                .containsExactly(
                        transfer(2, "t1", "a", "b", 10),
                        refused(3, longId, Reason.INVALID_FORMAT),
                        refused(4, "t3", Reason.INVALID_FORMAT),
                        refused(5, "t4", Reason.INVALID_FORMAT),
                        transfer(6, "t5", "a", "b", 10),
                        transfer(7, "y".repeat(256), "a", "b", 10));
    }

    @Test
    void defaultLimitIsTheDocumentedSixteenThousandCharacters() throws IOException {
        String longest = "\u8d26".repeat(16_384);

        assertThat(only(longest + "," + longest + ",b,1")).isEqualTo(transfer(1, longest, longest, "b", 1));
        assertThat(only(longest + "x,a,b,1")).isEqualTo(refused(1, longest + "x", Reason.INVALID_FORMAT));
        assertThat(only("t1,a," + longest + "x,1")).isEqualTo(refused(1, "t1", Reason.INVALID_FORMAT));
    }

    @Test
    void refusesControlCharactersInsideAFieldButTrimsWhitespaceAround() throws IOException {
        assertThat(only("t\u00001,a,b,1")).isEqualTo(refused(1, "t\u00001", Reason.INVALID_FORMAT));
        assertThat(only("t1,a\u0007,b,1")).isEqualTo(refused(1, "t1", Reason.INVALID_FORMAT));
        assertThat(only("t1,\ta\t,b,1")).isEqualTo(transfer(1, "t1", "a", "b", 1));
    }

    @Test
    void anOverlongIdIsInvalidFormatBeforeItIsADuplicate() throws IOException {
        String longId = "x".repeat(20_000);

        assertThat(parse(longId + ",a,b,1\n" + longId + ",a,b,1\n"))
                .containsExactly(refused(1, longId, Reason.INVALID_FORMAT), refused(2, longId, Reason.INVALID_FORMAT));
    }
}
