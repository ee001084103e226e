package io.clearhouse.web.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Transaction;
import io.clearhouse.api.TransactionRules;
import io.clearhouse.web.problem.Problem;
import io.clearhouse.web.problem.ProblemException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated request bodies for {@code POST /api/transfers} and {@code POST /api/transactions}, from near-valid JSON
 * to garbage: each is either a transaction that the engine's own rules accept, or a {@code 400} problem with one of
 * the documented reasons and a detail; never another exception (which the API would answer {@code 500}). Tries:
 * {@code jqwik.tries.default}.
 */
class RequestBodiesProperties {
    private static final int ID_LENGTH_MAX = 16;
    private static final int POSTINGS_MAX = 4;
    private static final List<String> ACCOUNTS = List.of("alice", "bob", "carol");
    private static final Set<String> REASONS =
            Set.of("INVALID_FORMAT", "INVALID_AMOUNT", "SAME_ACCOUNT", "UNBALANCED", "TOO_MANY_POSTINGS");

    @Property
    void aTransferBodyIsATransactionTheRulesAcceptOrA400(@ForAll("transferBodies") byte[] body) {
        judged(() -> RequestBodies.transfer(body, ID_LENGTH_MAX));
    }

    @Property
    void aTransactionBodyIsATransactionTheRulesAcceptOrA400(@ForAll("transactionBodies") byte[] body) {
        judged(() -> RequestBodies.transaction(body, POSTINGS_MAX, ID_LENGTH_MAX));
    }

    private static void judged(Supplier<Transaction> reading) {
        Transaction transaction;
        try {
            transaction = reading.get();
        } catch (ProblemException refused) {
            Problem problem = refused.problem();
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.reason()).isIn(REASONS);
            assertThat(problem.detail()).isNotBlank();
            return;
        }
        assertThat(TransactionRules.check(transaction, POSTINGS_MAX, ID_LENGTH_MAX))
                .isEmpty();
        for (Posting posting : transaction.postings()) {
            assertThat(posting.amount()).isNotZero().isNotEqualTo(Long.MIN_VALUE);
        }
    }

    @Provide
    Arbitrary<byte[]> transferBodies() {
        return GeneratedBodies.transfers(ID_LENGTH_MAX, ACCOUNTS);
    }

    @Provide
    Arbitrary<byte[]> transactionBodies() {
        return GeneratedBodies.transactions(ID_LENGTH_MAX, POSTINGS_MAX, ACCOUNTS);
    }
}
