package io.clearhouse.ejb.audit;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sums posted balances against opening balances. Posted balances are what the banks count: a prepared debit holds
 * part of its account's posted balance (the hold is inside {@code posted}, so adding it would count it twice) and a
 * prepared credit changes nothing until commit, so money in flight is neither created nor lost. A commit adds
 * postings that sum to zero, so the total of posted balances never changes and must equal the opening total; only a
 * read that sees one bank after a commit and another before it can differ, which {@code settled} rules out.
 */
public final class Conservation {
    private Conservation() {}

    /**
     * @param openingTotals each bank's opening total by bank id; a bank missing here has no known opening total
     * @param readings what each bank answered
     * @param settled whether no transaction ran or waited in doubt while the banks were read
     */
    public static ConservationReport check(
            Map<String, OpeningTotal> openingTotals, List<BankReading> readings, boolean settled, Instant checkedAt) {
        BigInteger expected = BigInteger.ZERO;
        BigInteger actual = BigInteger.ZERO;
        boolean openingKnown = true;
        boolean complete = true;
        for (BankReading reading : readings) {
            OpeningTotal opening = openingTotals.get(reading.bankId());
            if (opening == null) {
                openingKnown = false;
            } else {
                expected = expected.add(opening.total());
            }
            if (reading instanceof BankReading.Read read) {
                actual = actual.add(read.postedTotal());
            } else {
                complete = false;
            }
        }
        return new ConservationReport(
                openingKnown ? Optional.of(expected) : Optional.empty(),
                complete ? Optional.of(actual) : Optional.empty(),
                settled,
                readings,
                openingTotals,
                checkedAt);
    }
}
