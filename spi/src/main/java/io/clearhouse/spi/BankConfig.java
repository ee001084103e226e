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

    /**
     * The integer setting {@code key}, or {@code defaultValue} when it is absent, for a provider's limits and timeouts.
     *
     * @throws BankException naming the bank and the key when the text is not an integer in {@code min..max}
     */
    public long integerSetting(String key, long defaultValue, long min, long max) {
        String text = settings.get(key);
        if (text == null) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Refused below, with the same message as a number out of range.
        }
        throw new BankException(bankId, "setting " + key + " must be an integer in " + min + ".." + max + ": " + text);
    }
}
