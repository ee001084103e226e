package io.clearhouse.spi;

/**
 * Providers that {@link BankAdapterRegistryTest} lists in a services file of its own. They are public because
 * {@link java.util.ServiceLoader} instantiates them from outside this package.
 */
public final class RegistryTestProviders {
    private RegistryTestProviders() {}

    /** Opens a working bank of type {@code reference}. */
    public static final class ReferenceProvider implements BankAdapterProvider {
        @Override
        public String type() {
            return "reference";
        }

        @Override
        public BankAdapter open(BankConfig config) {
            return new ReferenceBankAdapter(
                    config.bankId(), config.initialBalances(), new ReferenceBankAdapter.Storage());
        }
    }

    /** A second working provider, of type {@code other}. */
    public static final class OtherProvider implements BankAdapterProvider {
        @Override
        public String type() {
            return "other";
        }

        @Override
        public BankAdapter open(BankConfig config) {
            throw new BankException(config.bankId(), "the other provider opens nothing");
        }
    }

    /** Claims the type {@code reference} as well. */
    public static final class SecondReferenceProvider implements BankAdapterProvider {
        @Override
        public String type() {
            return "reference";
        }

        @Override
        public BankAdapter open(BankConfig config) {
            throw new BankException(config.bankId(), "a duplicate provider opens nothing");
        }
    }

    /** Fails in its constructor, as a provider with a missing setting or library would. */
    public static final class FailingConstructorProvider implements BankAdapterProvider {
        public FailingConstructorProvider() {
            throw new IllegalStateException("cannot start: no driver");
        }

        @Override
        public String type() {
            return "failing";
        }

        @Override
        public BankAdapter open(BankConfig config) {
            throw new BankException(config.bankId(), "never constructed");
        }
    }
}
