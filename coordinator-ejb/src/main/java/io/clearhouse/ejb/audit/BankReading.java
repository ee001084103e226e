package io.clearhouse.ejb.audit;

import java.util.Objects;

/** What one bank answered when the audit asked for its posted balances. */
public sealed interface BankReading {
    String bankId();

    /**
     * The bank answered.
     *
     * @param postedTotal the sum of its accounts' posted balances
     * @param accounts how many accounts it holds
     */
    record Read(String bankId, long postedTotal, int accounts) implements BankReading {
        public Read {
            Objects.requireNonNull(bankId, "bankId");
        }
    }

    /** The bank could not be read (a bank server down, a timeout): nothing is known of its balances. */
    record Unreadable(String bankId, String reason) implements BankReading {
        public Unreadable {
            Objects.requireNonNull(bankId, "bankId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
