package io.clearhouse.ejb;

import io.clearhouse.spi.AccountBalance;
import java.util.Objects;

/**
 * An account as the API shows it.
 *
 * @param bankId the bank that holds it
 * @param balance its posted balance and the amount held by prepared debits
 */
public record AccountView(String bankId, AccountBalance balance) {
    public AccountView {
        Objects.requireNonNull(bankId, "bankId");
        Objects.requireNonNull(balance, "balance");
    }
}
