package io.clearhouse.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionRecordCodecTest {
    private static final List<Posting> POSTINGS =
            List.of(new Posting("alice", -7), new Posting("bob", 3), new Posting("carol", 4));

    @Test
    void decodesWhatItEncodes() {
        List<DecisionRecord> records = List.of(
                new DecisionRecord.Incarnation(42),
                new DecisionRecord.CommitDecision("3.17", "client-1", POSTINGS, List.of("A", "B")),
                new DecisionRecord.CommitDecision("3.18", "client-2", POSTINGS, List.of()),
                new DecisionRecord.AbortOutcome("3.19", "client-3", Reason.UNKNOWN_ACCOUNT, POSTINGS),
                new DecisionRecord.Completion("3.17"));
        for (DecisionRecord record : records) {
            assertThat(DecisionRecordCodec.decode(DecisionRecordCodec.encode(record)))
                    .isEqualTo(record);
        }
    }

    @Test
    void recordsDecodedWithCanonicalNamesShareOneStringPerBankAndAccount() {
        CanonicalNames names = new CanonicalNames();
        DecisionRecord.CommitDecision first = (DecisionRecord.CommitDecision) DecisionRecordCodec.decode(
                DecisionRecordCodec.encode(
                        new DecisionRecord.CommitDecision("3.17", "client-1", POSTINGS, List.of("A", "B"))),
                names);
        DecisionRecord.AbortOutcome second = (DecisionRecord.AbortOutcome) DecisionRecordCodec.decode(
                DecisionRecordCodec.encode(
                        new DecisionRecord.AbortOutcome("3.18", "client-2", Reason.INSUFFICIENT_FUNDS, POSTINGS)),
                names);
        DecisionRecord.CommitDecision third = (DecisionRecord.CommitDecision) DecisionRecordCodec.decode(
                DecisionRecordCodec.encode(
                        new DecisionRecord.CommitDecision("3.19", "client-3", POSTINGS, List.of("B", "A"))),
                names);

        assertThat(second.postings().get(1).account())
                .isSameAs(first.postings().get(1).account());
        assertThat(third.postings().get(2).account())
                .isSameAs(first.postings().get(2).account());
        assertThat(third.participants().get(0)).isSameAs(first.participants().get(1));
        assertThat(third.participants()).containsExactly("B", "A");
        assertThat(third.clientId()).isEqualTo("client-3");
    }

    @Test
    void refusesATruncatedRecord() {
        byte[] bytes = DecisionRecordCodec.encode(
                new DecisionRecord.CommitDecision("3.17", "client-1", POSTINGS, List.of("A", "B")));
        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> DecisionRecordCodec.decode(truncated))
                    .isInstanceOf(CorruptDecisionRecordException.class);
        }
    }

    @Test
    void refusesTrailingBytesAndUnknownTypes() {
        byte[] bytes = DecisionRecordCodec.encode(new DecisionRecord.Completion("3.17"));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> DecisionRecordCodec.decode(longer)).isInstanceOf(CorruptDecisionRecordException.class);
        byte[] unknownType = bytes.clone();
        unknownType[1] = 99;
        assertThatThrownBy(() -> DecisionRecordCodec.decode(unknownType))
                .isInstanceOf(CorruptDecisionRecordException.class);
    }

    @Test
    void refusesToReadBackACommitDecisionThatDoesNotBalance() {
        byte[] bytes = DecisionRecordCodec.encode(new DecisionRecord.CommitDecision(
                "3.17", "c", List.of(new Posting("a", -5), new Posting("b", 5)), List.of("A")));
        // The last byte of the first amount (-5) sits before the second posting; flip it to break the balance.
        int firstAmountEnd = 1 + 1 + (2 + 4) + (2 + 1) + 4 + (2 + 1) + 8;
        bytes[firstAmountEnd - 1] = (byte) -6;
        assertThatThrownBy(() -> DecisionRecordCodec.decode(bytes))
                .isInstanceOf(CorruptDecisionRecordException.class)
                .hasMessageContaining("sum to zero");
    }

    @Test
    void keepsIdsAndAccountsOfTheLongestLengthInAnyScript() {
        String id = "\u8d26".repeat(DecisionRecords.TEXT_LENGTH_MAX);
        String account = "a".repeat(DecisionRecords.TEXT_LENGTH_MAX);
        DecisionRecord record = new DecisionRecord.AbortOutcome(
                "1.1", id, Reason.INSUFFICIENT_FUNDS, List.of(new Posting(account, -5), new Posting("b", 5)));

        assertThat(DecisionRecordCodec.decode(DecisionRecordCodec.encode(record)))
                .isEqualTo(record);
    }

    @Test
    void refusesAnIdLongerThanTheLimit() {
        DecisionRecord record = new DecisionRecord.Completion("x".repeat(DecisionRecords.TEXT_LENGTH_MAX + 1));

        assertThatThrownBy(() -> DecisionRecordCodec.encode(record)).isInstanceOf(CorruptDecisionRecordException.class);
    }

    @Test
    void keepsABankWhoseIdIsEmpty() {
        DecisionRecord record = new DecisionRecord.CommitDecision(
                "1.1", "t1", List.of(new Posting("p", -1), new Posting("q", 1)), List.of(""));

        assertThat(DecisionRecordCodec.decode(DecisionRecordCodec.encode(record)))
                .isEqualTo(record);
    }
}
