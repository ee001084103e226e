package io.clearhouse.banks;

import io.clearhouse.spi.BankConfig;
import java.util.Map;
import java.util.Objects;

/**
 * One bank of the banks file.
 *
 * @param type the adapter type, as a provider's {@code type()} names it
 * @param config what the provider opens the bank with: id, accounts with opening balances, settings
 */
public record ConfiguredBank(String type, BankConfig config) {
    public ConfiguredBank {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
    }

    public String bankId() {
        return config.bankId();
    }

    public Map<String, Long> accounts() {
        return config.initialBalances();
    }
}
