package io.clearhouse.api;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rules a transaction must meet before any bank sees it. Pure functions, so the REST layer, the batch command
 * and the coordinator refuse the same things for the same reasons.
 */
public final class TransactionRules {
    private TransactionRules() {}

    /**
     * Checks the id, then the posting limit (before any work per posting), then each posting's account, amount and
     * distinctness in posting order, then that the amounts add up within 2^63-1 and sum to zero.
     *
     * @return the first rule broken, or empty when the transaction may be attempted
     */
    public static Optional<Rejection> check(Transaction transaction, int postingsMax) {
        if (transaction.id().isBlank()) {
            return reject(Reason.INVALID_FORMAT, "id", "the id is empty");
        }
        List<Posting> postings = transaction.postings();
        if (postings.size() > postingsMax) {
            return reject(
                    Reason.TOO_MANY_POSTINGS,
                    "postings",
                    postings.size() + " postings exceed the limit of " + postingsMax);
        }
        Set<String> accounts = new HashSet<>();
        long credits = 0;
        long debits = 0;
        for (int i = 0; i < postings.size(); i++) {
            Posting posting = postings.get(i);
            if (posting.account().isBlank()) {
                return reject(Reason.INVALID_FORMAT, "postings[" + i + "].account", "the account is empty");
            }
            if (posting.amount() == Long.MIN_VALUE) {
                return reject(Reason.INVALID_AMOUNT, "postings[" + i + "].amount", "the amount is below -(2^63-1)");
            }
            if (!accounts.add(posting.account())) {
                return reject(
                        Reason.SAME_ACCOUNT,
                        "postings[" + i + "].account",
                        "account " + posting.account() + " appears twice");
            }
            try {
                if (posting.amount() > 0) {
                    credits = Math.addExact(credits, posting.amount());
                } else {
                    debits = Math.addExact(debits, -posting.amount());
                }
            } catch (ArithmeticException e) {
                return reject(Reason.INVALID_AMOUNT, "postings", "the amounts add up to more than 2^63-1");
            }
        }
        if (credits != debits) {
            return reject(Reason.UNBALANCED, "postings", "the amounts do not sum to zero");
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(Reason reason, String field, String detail) {
        return Optional.of(new Rejection(reason, field, detail));
    }
}
