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

    /**
     * Written out because banks look xids up on every call: the record's generated form goes through a method handle
     * that the client compiler does not inline, several times slower on the hot path.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Xid xid && transactionId.equals(xid.transactionId) && bankId.equals(xid.bankId);
    }

    @Override
    public int hashCode() {
        return 31 * transactionId.hashCode() + bankId.hashCode();
    }

    @Override
    public String toString() {
        return transactionId + "@" + bankId;
    }
}
