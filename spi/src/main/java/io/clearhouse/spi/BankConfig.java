package io.clearhouse.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a provider needs to open one bank.
 *
 * @param bankId the bank's id, unique in the system
 * @param initialBalances the accounts of the bank and their opening balances, in a stable order; a bank that keeps
 *     durable state uses them only when it starts with none
 * @param settings adapter-specific settings (a directory, a JDBC URL, an HTTP address), as text
 */
public record BankConfig(String bankId, Map<String, Long> initialBalances, Map<String, String> settings) {
    public BankConfig {
        Objects.requireNonNull(bankId, "bankId");
        initialBalances = Collections.unmodifiableMap(new LinkedHashMap<>(initialBalances));
        settings = Map.copyOf(settings);
    }

    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }
}
