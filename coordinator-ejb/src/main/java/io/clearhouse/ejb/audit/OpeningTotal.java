package io.clearhouse.ejb.audit;

import java.math.BigInteger;
import java.util.Objects;

/**
 * What one bank started with, and how the server knows it.
 *
 * @param total the sum of the bank's opening balances (beyond a {@code long}: each may be up to 2^63-1)
 * @param source where {@code total} comes from
 */
public record OpeningTotal(BigInteger total, Source source) {
    public OpeningTotal {
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(source, "source");
    }

    public OpeningTotal(long total, Source source) {
        this(BigInteger.valueOf(total), source);
    }

    public enum Source {
        /** The bank's accounts in the banks file, which the bank opened with. */
        BANKS_FILE,
        /**
         * The bank's posted total at this server's first settled audit: a remote bank's entry lists no accounts, its
         * bank server keeps them, so the audit can only watch it from then on.
         */
        FIRST_SETTLED_AUDIT
    }
}
