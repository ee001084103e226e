package io.clearhouse.banks;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterProvider;
import io.clearhouse.spi.BankAdapterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The banks of the banks file, opened through their providers, in file order; closed together. */
public final class OpenBanks implements AutoCloseable {
    private final Map<String, BankAdapter> byId;

    private OpenBanks(Map<String, BankAdapter> byId) {
        this.byId = byId;
    }

    /**
     * Opens every bank with the provider of its type found by {@code classLoader}; closes those already open when
     * one fails.
     *
     * @throws IllegalArgumentException naming the bank when no provider has its type
     * @throws io.clearhouse.spi.BankException when a provider cannot open its bank
     */
    public static OpenBanks open(List<ConfiguredBank> banks, ClassLoader classLoader) {
        BankAdapterRegistry registry = BankAdapterRegistry.load(classLoader);
        Map<String, BankAdapter> opened = new LinkedHashMap<>();
        try {
            for (ConfiguredBank bank : banks) {
                opened.put(bank.bankId(), open(registry, bank));
            }
        } catch (RuntimeException e) {
            new OpenBanks(opened).closeAfterFailure(e);
            throw e;
        }
        return new OpenBanks(opened);
    }

    private static BankAdapter open(BankAdapterRegistry registry, ConfiguredBank bank) {
        BankAdapterProvider provider;
        try {
            provider = registry.provider(bank.type());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bank \"" + bank.bankId() + "\": " + e.getMessage(), e);
        }
        return provider.open(bank.config());
    }

    /** Every bank by id, in file order. */
    public Map<String, BankAdapter> byId() {
        return byId;
    }

    private void closeAfterFailure(RuntimeException failure) {
        for (BankAdapter bank : byId.values()) {
            try {
                bank.close();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (BankAdapter bank : byId.values()) {
            try {
                bank.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
