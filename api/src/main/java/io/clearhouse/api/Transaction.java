package io.clearhouse.api;

import java.util.List;
import java.util.Objects;

/**
 * An atomic set of postings: either every posting is applied or none is. A transfer is the common case of one
 * debit and one credit of the same amount.
 *
 * <p>The record only guards its own shape; the business rules (amount range, distinct accounts, zero sum, limits)
 * are checked by {@link TransactionRules}, which names the reason a transaction is refused.
 *
 * @param id the client's idempotency key: the same id with the same postings always yields the first outcome
 * @param postings at least one posting
 */
public record Transaction(String id, List<Posting> postings) {
    public Transaction {
        Objects.requireNonNull(id, "id");
        postings = List.copyOf(postings);
        if (postings.isEmpty()) {
            throw new IllegalArgumentException("a transaction has at least one posting: " + id);
        }
    }

    /** A transfer of {@code amount} (positive) from {@code from} to {@code to}. */
    public static Transaction transfer(String id, String from, String to, long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("a transfer moves a positive amount: " + id);
        }
        return new Transaction(id, List.of(new Posting(from, -amount), new Posting(to, amount)));
    }
}
