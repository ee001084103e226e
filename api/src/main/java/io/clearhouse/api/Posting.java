package io.clearhouse.api;

import java.util.Objects;

/**
 * One account's part in a transaction: a negative amount debits the account, a positive one credits it.
 *
 * @param account the account id, unique across all banks
 * @param amount the signed amount in the smallest currency unit; never zero
 */
public record Posting(String account, long amount) {
    public Posting {
        Objects.requireNonNull(account, "account");
        if (amount == 0) {
            throw new IllegalArgumentException("a posting moves a non-zero amount: " + account);
        }
    }

    public boolean isDebit() {
        return amount < 0;
    }
}
