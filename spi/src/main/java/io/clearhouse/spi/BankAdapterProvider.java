package io.clearhouse.spi;

/**
 * A light factory for one kind of bank adapter, found with {@link java.util.ServiceLoader}. Register the
 * implementation's class name in {@code META-INF/services/io.clearhouse.spi.BankAdapterProvider}. A provider must
 * have a public no-argument constructor and do no work until {@link #open} is called.
 */
public interface BankAdapterProvider {
    /** The adapter type that banks name in their configuration, such as {@code memory}; unique per registry. */
    String type();

    /**
     * Opens the bank described by {@code config}, restoring any durable state it has, prepared branches included.
     *
     * @throws BankException if the bank cannot be opened
     */
    BankAdapter open(BankConfig config);
}
