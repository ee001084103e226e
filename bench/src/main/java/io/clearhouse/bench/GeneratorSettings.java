package io.clearhouse.bench;

import java.util.Map;

/**
 * What {@link BatchInputGenerator} writes.
 *
 * @param banks banks, with ids {@code "1"} to {@code "banks"}
 * @param accountsPerBank accounts in every bank
 * @param transfers lines in the transactions file, header excluded
 * @param meanBalance mean initial balance; balances are uniform in 0..2 * meanBalance
 * @param amountMax largest transfer amount; amounts are uniform in 1..amountMax
 * @param refusedPerMille lines per thousand that the format rules refuse
 * @param hotAccounts accounts, spread evenly over the banks, that the hot transfers use
 * @param hotPerMille transfers per thousand with a hot account at one end, the other end drawn as usual; 0 writes
 *     the same bytes as a generator without hot accounts
 * @param seed the seed of every random choice
 */
public record GeneratorSettings(
        int banks,
        int accountsPerBank,
        int transfers,
        long meanBalance,
        long amountMax,
        int refusedPerMille,
        int hotAccounts,
        int hotPerMille,
        long seed) {
    static final Map<String, String> DEFAULTS = Arguments.defaults(
            "banks", "1000",
            "accounts-per-bank", "10",
            "transfers", "10000",
            "mean-balance", "100000",
            "amount-max", "1000",
            "refused-per-mille", "5",
            "hot-accounts", "0",
            "hot-per-mille", "0",
            "seed", "42",
            "out", "target/bench-data/batch-10k");

    public GeneratorSettings {
        if (banks < 1 || accountsPerBank < 1 || (long) banks * accountsPerBank < 2) {
            throw new IllegalArgumentException("a transfer needs two accounts: " + banks + " x " + accountsPerBank);
        }
        if (transfers < 0
                || meanBalance < 0
                || meanBalance > Long.MAX_VALUE / 4
                || amountMax < 1
                || refusedPerMille < 0
                || refusedPerMille > 1000
                || hotPerMille < 0
                || hotPerMille > 1000
                || hotAccounts < 0
                || hotAccounts > (long) banks * accountsPerBank
                || (hotPerMille > 0 && hotAccounts == 0)) {
            throw new IllegalArgumentException("settings out of range: " + transfers + ", " + meanBalance + ", "
                    + amountMax + ", " + refusedPerMille + ", " + hotAccounts + ", " + hotPerMille);
        }
    }

    static GeneratorSettings from(Arguments arguments) {
        return new GeneratorSettings(
                arguments.integer("banks"),
                arguments.integer("accounts-per-bank"),
                arguments.integer("transfers"),
                arguments.longInteger("mean-balance"),
                arguments.longInteger("amount-max"),
                arguments.integer("refused-per-mille"),
                arguments.integer("hot-accounts"),
                arguments.integer("hot-per-mille"),
                arguments.longInteger("seed"));
    }
}
