package io.clearhouse.ejb.audit;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One conservation audit.
 *
 * @param expectedTotal the sum of the opening balances of every bank; empty when a bank's opening balances are not
 *     known yet (a remote bank before the first settled audit, see {@link OpeningTotals})
 * @param actualTotal the sum of every bank's posted balances; empty when a bank could not be read
 * @param settled whether no transaction was in flight or in doubt while the banks were read, so that no commit was
 *     half applied across banks
 * @param banks what each bank answered, in the banks file's order
 * @param openingTotals each bank's opening total, where known
 * @param checkedAt when the banks were read
 */
public record ConservationReport(
        Optional<BigInteger> expectedTotal,
        Optional<BigInteger> actualTotal,
        boolean settled,
        List<BankReading> banks,
        Map<String, OpeningTotal> openingTotals,
        Instant checkedAt) {
    public ConservationReport {
        banks = List.copyOf(banks);
        openingTotals = Map.copyOf(openingTotals);
    }

    /** {@code actualTotal - expectedTotal}: positive when money was created, negative when it was lost. */
    public Optional<BigInteger> difference() {
        return actualTotal.isPresent() && expectedTotal.isPresent()
                ? Optional.of(actualTotal.get().subtract(expectedTotal.get()))
                : Optional.empty();
    }

    /** The difference as a {@code long} for a metric or a health check, held at the {@code long} range's ends. */
    public static long clamped(BigInteger difference) {
        return difference.max(LONG_MIN).min(LONG_MAX).longValue();
    }

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /**
     * Whether money was conserved, when the audit can tell: empty when a bank could not be read or its opening
     * balances are unknown, or when a
     * transaction ran during the read and its commit may have reached one bank and not yet another.
     */
    public Optional<Boolean> conserved() {
        if (!settled || difference().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(difference().get().signum() == 0);
    }

    /** Whether the audit proved that money was created or lost. */
    public boolean violated() {
        return conserved().map(conserved -> !conserved).orElse(false);
    }
}
