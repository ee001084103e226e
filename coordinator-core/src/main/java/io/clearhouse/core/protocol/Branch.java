package io.clearhouse.core.protocol;

import io.clearhouse.api.Posting;
import java.util.List;
import java.util.Objects;

/**
 * One bank's part of a transaction.
 *
 * @param bankId the bank that holds every account of {@code postings}
 * @param postings the postings on that bank's accounts, in the transaction's order
 */
public record Branch(String bankId, List<Posting> postings) {
    public Branch {
        Objects.requireNonNull(bankId, "bankId");
        Objects.requireNonNull(postings, "postings");
    }
}
