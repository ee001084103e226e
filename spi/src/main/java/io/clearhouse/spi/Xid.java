package io.clearhouse.spi;

import java.util.Objects;

/**
 * Names one branch of a global transaction: the part of transaction {@code transactionId} that bank {@code bankId}
 * applies. A bank keys its prepared state by xid and reports xids from {@link BankAdapter#recover()}.
 *
 * @param transactionId the coordinator's id of the global transaction
 * @param bankId the bank that holds the branch
 */
public record Xid(String transactionId, String bankId) {
    public Xid {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(bankId, "bankId");
    }

    @Override
    public String toString() {
        return transactionId + "@" + bankId;
    }
}
