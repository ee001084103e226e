package io.clearhouse.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransactionRulesTest {
    private static final int POSTINGS_MAX = 4;

    private static Optional<Reason> check(String id, Posting... postings) {
        return TransactionRules.check(new Transaction(id, List.of(postings)), POSTINGS_MAX)
                .map(Rejection::reason);
    }

    @Test
    void acceptsBalancedTransferAndMultiPostingTransaction() {
        assertThat(TransactionRules.check(Transaction.transfer("t1", "a", "b", 10), POSTINGS_MAX))
                .isEmpty();
        assertThat(check("t2", new Posting("a", -10), new Posting("b", -5), new Posting("c", 15)))
                .isEmpty();
    }

    @Test
    void acceptsAmountsOfLongMax() {
        assertThat(check("t1", new Posting("a", -Long.MAX_VALUE), new Posting("b", Long.MAX_VALUE)))
                .isEmpty();
    }

    @Test
    void refusesBlankIdAsInvalidFormat() {
        assertThat(check("  ", new Posting("a", -1), new Posting("b", 1))).contains(Reason.INVALID_FORMAT);
    }

    @Test
    void refusesBlankAccountAsInvalidFormatNamingThePosting() {
        Optional<Rejection> rejection = TransactionRules.check(
                new Transaction("t1", List.of(new Posting("a", -1), new Posting(" ", 1))), POSTINGS_MAX);

        assertThat(rejection).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo(Reason.INVALID_FORMAT);
            assertThat(r.field()).isEqualTo("postings[1].account");
        });
    }

    @Test
    void refusesAccountTwiceAsSameAccount() {
        assertThat(check("t1", new Posting("a", -1), new Posting("a", 1))).contains(Reason.SAME_ACCOUNT);
    }

    @Test
    void refusesUnbalancedPostings() {
        assertThat(check("t1", new Posting("a", -10), new Posting("b", 9))).contains(Reason.UNBALANCED);
        assertThat(check("t2", new Posting("a", 10))).contains(Reason.UNBALANCED);
    }

    @Test
    void refusesLongMinAmountAndSumsBeyondLongMaxAsInvalidAmount() {
        assertThat(check("t1", new Posting("a", Long.MIN_VALUE), new Posting("b", 1)))
                .contains(Reason.INVALID_AMOUNT);
        assertThat(check(
                        "t2",
                        new Posting("a", Long.MAX_VALUE),
                        new Posting("b", 1),
                        new Posting("c", -Long.MAX_VALUE),
                        new Posting("d", -1)))
                .contains(Reason.INVALID_AMOUNT);
    }

    @Test
    void refusesMorePostingsThanTheLimitBeforeLookingAtThem() {
        Posting[] postings = {
            new Posting("a", -1), new Posting("a", 1), new Posting("c", -1), new Posting("d", 1), new Posting("e", 9)
        };

        assertThat(check("t1", postings)).contains(Reason.TOO_MANY_POSTINGS);
    }

    @Test
    void transferMovesOnlyPositiveAmounts() {
        assertThatThrownBy(() -> Transaction.transfer("t1", "a", "b", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Transaction.transfer("t1", "a", "b", 7).postings())
                .containsExactly(new Posting("a", -7), new Posting("b", 7));
    }

    @Test
    void transactionAndPostingGuardTheirShape() {
        assertThatThrownBy(() -> new Transaction("t1", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Posting("a", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Posting("a", -1).isDebit()).isTrue();
        assertThat(new Posting("a", 1).isDebit()).isFalse();
    }

    @Test
    void refusesAnIdOverTheLimitNamingTheFieldAndTheSetting() {
        Optional<Rejection> rejection =
                TransactionRules.check(Transaction.transfer("x".repeat(100_000), "a", "b", 1), POSTINGS_MAX, 256);

        assertThat(rejection)
                .contains(new Rejection(
                        Reason.INVALID_FORMAT,
                        "id",
                        "id has 100000 characters, more than clearhouse.limits.id-length-max (256)"));
    }

    @Test
    void acceptsIdsAndAccountsOfExactlyTheLimit() {
        String longest = "\u00e9".repeat(TransactionRules.ID_LENGTH_MAX_DEFAULT);

        assertThat(TransactionRules.check(Transaction.transfer(longest, longest, "b", 1), POSTINGS_MAX))
                .isEmpty();
    }

    @Test
    void refusesAnAccountOverTheLimitNamingThePosting() {
        Optional<Rejection> rejection = TransactionRules.check(
                new Transaction("t1", List.of(new Posting("a", -1), new Posting("b".repeat(257), 1))),
                POSTINGS_MAX,
                256);

        assertThat(rejection).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo(Reason.INVALID_FORMAT);
            assertThat(r.field()).isEqualTo("postings[1].account");
            assertThat(r.detail()).contains("257 characters", "clearhouse.limits.id-length-max (256)");
        });
    }

    @Test
    void refusesControlCharactersAndUnpairedSurrogatesButNotOtherText() {
        assertThat(TransactionRules.checkId("t\u00001", "id", 256)).hasValueSatisfying(r -> assertThat(r.detail())
                .isEqualTo("id contains the control character U+0000 at index 1"));
        assertThat(TransactionRules.checkId("t\t1", "id", 256)).isPresent();
        assertThat(TransactionRules.checkId("t\u00851", "id", 256)).isPresent();
        assertThat(TransactionRules.checkId("t\ud8001", "id", 256))
                .hasValueSatisfying(r -> assertThat(r.detail()).contains("unpaired surrogate U+D800"));
        assertThat(TransactionRules.checkId("t\udc00", "id", 256)).isPresent();
        assertThat(TransactionRules.checkId("t\ud83d\ude00 \u8d26\ufffd-_.:/ 1", "id", 256))
                .isEmpty();
    }

    @Test
    void storableIdLooksOnlyAtItsRange() {
        String line = "\u0000abc\u0000";

        assertThat(TransactionRules.storableId(line, 1, 4, 3)).isTrue();
        assertThat(TransactionRules.storableId(line, 1, 4, 2)).isFalse();
        assertThat(TransactionRules.storableId(line, 0, 4, 4)).isFalse();
    }
}
