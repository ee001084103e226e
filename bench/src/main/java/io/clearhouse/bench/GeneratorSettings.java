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
 * @param seed the seed of every random choice
 */
public record GeneratorSettings(
        int banks,
        int accountsPerBank,
        int transfers,
        long meanBalance,
        long amountMax,
        int refusedPerMille,
        long seed) {
    static final Map<String, String> DEFAULTS = Arguments.defaults(
            "banks", "1000",
            "accounts-per-bank", "10",
            "transfers", "10000",
            "mean-balance", "100000",
            "amount-max", "1000",
            "refused-per-mille", "5",
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
                || refusedPerMille > 1000) {
            throw new IllegalArgumentException("settings out of range: " + transfers + ", " + meanBalance + ", "
                    + amountMax + ", " + refusedPerMille);
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
                arguments.longInteger("seed"));
    }
}
