package io.clearhouse.bench;

import io.clearhouse.spi.BankAdapter;
import java.util.Collection;

/**
 * The invariants a benchmark checks after its load, on the banks themselves: the figures of a run that broke one are
 * worthless.
 */
final class BankInvariants {
    private BankInvariants() {}

    /** @throws IllegalStateException when the posted balances no longer add up to {@code totalMoney} */
    static void checkMoneyConserved(Collection<? extends BankAdapter> banks, long totalMoney) {
        long sum = 0;
        for (BankAdapter bank : banks) {
            sum += bank.postedBalances().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
        if (sum != totalMoney) {
            throw new IllegalStateException("money not conserved: " + sum + " != " + totalMoney);
        }
    }

    /** @throws IllegalStateException naming a bank that still holds a prepared branch */
    static void checkNothingPrepared(Collection<? extends BankAdapter> banks) {
        for (BankAdapter bank : banks) {
            int prepared = bank.recover().size();
            if (prepared != 0) {
                throw new IllegalStateException(
                        "bank " + bank.bankId() + " still holds " + prepared + " prepared branches");
            }
        }
    }
}
