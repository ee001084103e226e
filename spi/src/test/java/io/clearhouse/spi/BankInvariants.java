package io.clearhouse.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/**
 * The invariants every bank keeps whatever happened to it, as assertions. The conformance kit checks them after
 * every test that changes balances, and tests of the coordinator may check them after a fault.
 */
public final class BankInvariants {
    private BankInvariants() {}

    /** No account is negative, no hold is negative or larger than its account's posted balance. */
    public static void assertNoNegativeBalance(BankAdapter bank) {
        for (String account : bank.accounts()) {
            AccountBalance balance = bank.account(account).orElseThrow();
            assertThat(balance.posted()).as("posted balance of %s", account).isNotNegative();
            assertThat(balance.held()).as("held amount of %s", account).isBetween(0L, balance.posted());
        }
    }

    /**
     * The bank is at rest: nothing prepared, nothing held, no negative balance, and the posted balances are exactly
     * {@code expectedPostedBalances}, so nothing was lost, created or applied twice.
     */
    public static void assertAtRest(BankAdapter bank, Map<String, Long> expectedPostedBalances) {
        assertThat(bank.recover()).as("branches left prepared").isEmpty();
        assertNoNegativeBalance(bank);
        for (String account : bank.accounts()) {
            assertThat(bank.account(account).orElseThrow().held())
                    .as("held amount of %s", account)
                    .isZero();
        }
        assertThat(bank.postedBalances()).as("posted balances").containsExactlyEntriesOf(expectedPostedBalances);
    }

    /** The sum of the posted balances, which no sequence of balanced branches may change. */
    public static long totalPosted(BankAdapter bank) {
        long total = 0;
        for (long balance : bank.postedBalances().values()) {
            total = Math.addExact(total, balance);
        }
        return total;
    }
}
