package io.clearhouse.bench;

import io.clearhouse.api.Transaction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes transfers between two different banks, accounts drawn uniformly. Account {@code a} of bank {@code b} is
 * named {@code "b-a"}, as in {@link BatchInputGenerator}. One instance per client thread: it is not thread-safe.
 */
public final class CrossBankTransfers {
    private final int banks;
    private final int accountsPerBank;
    private final long amountMax;
    private final String idPrefix;
    private final SplittableRandom random;
    private long sequence;

    public CrossBankTransfers(int banks, int accountsPerBank, long amountMax, String idPrefix, long seed) {
        if (banks < 2) {
            throw new IllegalArgumentException("a cross-bank transfer needs two banks, not " + banks);
        }
        this.banks = banks;
        this.accountsPerBank = accountsPerBank;
        this.amountMax = amountMax;
        this.idPrefix = idPrefix;
        this.random = new SplittableRandom(seed);
    }

    public static String bankId(int bankIndex) {
        return Integer.toString(bankIndex + 1);
    }

    public static String accountId(int bankIndex, int accountIndex) {
        return bankId(bankIndex) + "-" + accountIndex;
    }

    /** The bank of an account named as this class names them. */
    /** The accounts of bank {@code bankIndex}, {@code accountsPerBank} of them, each opened with {@code balance}. */
    public static Map<String, Long> openingBalances(int bankIndex, int accountsPerBank, long balance) {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (int account = 0; account < accountsPerBank; account++) {
            balances.put(accountId(bankIndex, account), balance);
        }
        return balances;
    }

    public static String bankIdOf(String accountId) {
        return accountId.substring(0, accountId.indexOf('-'));
    }

    public Transaction next() {
        int from = random.nextInt(banks);
        int to = (from + 1 + random.nextInt(banks - 1)) % banks;
        long amount = 1 + random.nextLong(amountMax);
        String id = idPrefix + sequence++;
        return Transaction.transfer(
                id,
                accountId(from, random.nextInt(accountsPerBank)),
                accountId(to, random.nextInt(accountsPerBank)),
                amount);
    }
}
