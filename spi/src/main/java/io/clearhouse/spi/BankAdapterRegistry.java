package io.clearhouse.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
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
    /** Entries a services file may list, broken ones included, before the registry gives up on it. */
    public static final int PROVIDER_ENTRIES_MAX = 1_000;

    private final Map<String, BankAdapterProvider> providers;
    private final List<String> brokenProviders;

    private BankAdapterRegistry(Map<String, BankAdapterProvider> providers, List<String> brokenProviders) {
        this.providers = Collections.unmodifiableMap(providers);
        this.brokenProviders = List.copyOf(brokenProviders);
    }

    /**
     * Loads every provider registered with {@code classLoader}.
     *
     * @throws IllegalStateException naming both classes when two providers declare the same type
     */
    public static BankAdapterRegistry load(ClassLoader classLoader) {
        Map<String, BankAdapterProvider> providers = new TreeMap<>();
        List<String> broken = new ArrayList<>();
        Iterator<BankAdapterProvider> candidates =
                ServiceLoader.load(BankAdapterProvider.class, classLoader).iterator();
        for (int attempt = 0; attempt < PROVIDER_ENTRIES_MAX; attempt++) {
            BankAdapterProvider provider;
            try {
                if (!candidates.hasNext()) {
                    return new BankAdapterRegistry(providers, broken);
                }
                provider = candidates.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                // The iterator moves past the entry that failed, so the providers after it still load.
                broken.add(describe(e));
                continue;
            }
            addProvider(provider, providers, broken);
        }
        throw new IllegalStateException(
                "more than " + PROVIDER_ENTRIES_MAX + " bank adapter provider entries; is a services file corrupt?");
    }

    private static void addProvider(
            BankAdapterProvider provider, Map<String, BankAdapterProvider> providers, List<String> broken) {
        String className = provider.getClass().getName();
        String type;
        try {
            type = provider.type();
        } catch (RuntimeException e) {
            broken.add(className + ": type() failed: " + e);
            return;
        }
        BankAdapterProvider previous = providers.putIfAbsent(type, provider);
        if (previous != null) {
            throw new IllegalStateException("two bank adapter providers for type '" + type + "': "
                    + previous.getClass().getName() + " and " + className);
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure.getCause();
        return cause == null ? failure.getMessage() : failure.getMessage() + " (" + cause + ")";
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
