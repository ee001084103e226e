package io.clearhouse.spi;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The bank adapter providers visible to one class loader, by type. A provider that cannot be loaded is reported by
 * name when its type is asked for, without hiding the others; two providers of one type are refused outright,
 * since nothing could tell which one a bank means.
 */
public final class BankAdapterRegistry {
    private final Map<String, BankAdapterProvider> providers;
    private final Map<String, String> brokenProviders;

    private BankAdapterRegistry(Map<String, BankAdapterProvider> providers, Map<String, String> brokenProviders) {
        this.providers = Collections.unmodifiableMap(providers);
        this.brokenProviders = Collections.unmodifiableMap(brokenProviders);
    }

    /** Loads every provider registered with {@code classLoader}. */
    public static BankAdapterRegistry load(ClassLoader classLoader) {
        Map<String, BankAdapterProvider> providers = new TreeMap<>();
        Map<String, String> broken = new TreeMap<>();
        for (ServiceLoader.Provider<BankAdapterProvider> candidate :
                ServiceLoader.load(BankAdapterProvider.class, classLoader).stream()
                        .toList()) {
            addProvider(candidate, providers, broken);
        }
        return new BankAdapterRegistry(providers, broken);
    }

    private static void addProvider(
            ServiceLoader.Provider<BankAdapterProvider> candidate,
            Map<String, BankAdapterProvider> providers,
            Map<String, String> broken) {
        String className = candidate.type().getName();
        BankAdapterProvider provider;
        try {
            provider = candidate.get();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            broken.put(className, e.toString());
            return;
        }
        BankAdapterProvider previous = providers.putIfAbsent(provider.type(), provider);
        if (previous != null) {
            throw new IllegalStateException("two bank adapter providers for type '" + provider.type() + "': "
                    + previous.getClass().getName() + " and " + className);
        }
    }

    /** The types that can be opened. */
    public java.util.Set<String> types() {
        return providers.keySet();
    }

    /**
     * The provider of {@code type}.
     *
     * @throws IllegalArgumentException naming the known types, and any provider that failed to load
     */
    public BankAdapterProvider provider(String type) {
        BankAdapterProvider provider = providers.get(type);
        if (provider == null) {
            String brokenNote = brokenProviders.isEmpty() ? "" : "; providers that failed to load: " + brokenProviders;
            throw new IllegalArgumentException(
                    "no bank adapter of type '" + type + "' (known: " + providers.keySet() + brokenNote + ")");
        }
        return provider;
    }

    /** Opens a bank with the provider of {@code type}. */
    public BankAdapter open(String type, BankConfig config) {
        return provider(type).open(config);
    }
}
