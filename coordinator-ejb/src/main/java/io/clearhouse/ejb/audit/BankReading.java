package io.clearhouse.ejb.audit;

import java.math.BigInteger;
import java.util.Objects;

/** What one bank answered when the audit asked for its posted balances. */
public sealed interface BankReading {
    String bankId();

    /**
     * The bank answered.
     *
     * @param postedTotal the sum of its accounts' posted balances, which may exceed a {@code long}: every account
     *     may hold up to 2^63-1
     * @param accounts how many accounts it holds
     */
    record Read(String bankId, BigInteger postedTotal, int accounts) implements BankReading {
        public Read {
            Objects.requireNonNull(bankId, "bankId");
            Objects.requireNonNull(postedTotal, "postedTotal");
        }

        public Read(String bankId, long postedTotal, int accounts) {
            this(bankId, BigInteger.valueOf(postedTotal), accounts);
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
