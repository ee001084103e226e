package io.clearhouse.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BankAdapterRegistryTest {
    private static final String REFERENCE = RegistryTestProviders.ReferenceProvider.class.getName();
    private static final String OTHER = RegistryTestProviders.OtherProvider.class.getName();
    private static final String SECOND_REFERENCE = RegistryTestProviders.SecondReferenceProvider.class.getName();
    private static final String FAILING = RegistryTestProviders.FailingConstructorProvider.class.getName();
    private static final String MISSING = "io.clearhouse.spi.NoSuchProvider";

    @TempDir
    Path directory;

    @Test
    void loadsEveryProviderListedForTheClassLoader() throws IOException {
        BankAdapterRegistry registry = load(List.of(REFERENCE, OTHER));

        assertThat(registry.provider("reference")).isInstanceOf(RegistryTestProviders.ReferenceProvider.class);
        assertThat(registry.provider("other")).isInstanceOf(RegistryTestProviders.OtherProvider.class);
    }

    @Test
    void opensBankWithProviderOfItsType() throws IOException {
        BankAdapterRegistry registry = load(List.of(REFERENCE));

        try (BankAdapter bank = registry.open("reference", new BankConfig("b1", Map.of("a", 10L), Map.of()))) {
            assertThat(bank.bankId()).isEqualTo("b1");
            assertThat(bank.postedBalances()).containsExactly(Map.entry("a", 10L));
        }
    }

    @Test
    void seesNoProviderThatTheClassLoaderDoesNotList() throws IOException {
        BankAdapterRegistry registry = load(List.of());

        assertThatThrownBy(() -> registry.provider("reference"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no bank adapter of type 'reference'");
    }

    @Test
    void namesUnknownTypeAndKnownOnes() throws IOException {
        BankAdapterRegistry registry = load(List.of(REFERENCE, OTHER));

        assertThatThrownBy(() -> registry.provider("jdbc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'jdbc'")
                .hasMessageContaining("reference")
                .hasMessageContaining("other");
    }

    @Test
    void providerWhoseConstructorThrowsIsNamedWithoutHidingTheOthers() throws IOException {
        BankAdapterRegistry registry = load(List.of(FAILING, REFERENCE, OTHER));

        assertThat(registry.provider("reference")).isInstanceOf(RegistryTestProviders.ReferenceProvider.class);
        assertThat(registry.provider("other")).isInstanceOf(RegistryTestProviders.OtherProvider.class);
        assertThatThrownBy(() -> registry.provider("failing"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(FAILING)
                .hasMessageContaining("cannot start: no driver");
    }

    @Test
    void listedClassThatDoesNotExistIsNamedWithoutHidingTheOthers() throws IOException {
        BankAdapterRegistry registry = load(List.of(REFERENCE, MISSING, OTHER));

        assertThat(registry.provider("reference")).isInstanceOf(RegistryTestProviders.ReferenceProvider.class);
        assertThat(registry.provider("other")).isInstanceOf(RegistryTestProviders.OtherProvider.class);
        assertThatThrownBy(() -> registry.provider("missing"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(MISSING);
    }

    @Test
    void refusesTwoProvidersOfOneTypeNamingBoth() throws IOException {
        assertThatThrownBy(() -> load(List.of(REFERENCE, OTHER, SECOND_REFERENCE)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'reference'")
                .hasMessageContaining(REFERENCE)
                .hasMessageContaining(SECOND_REFERENCE);
    }

    /** Loads a registry through a class loader whose only services file lists {@code classNames}. */
    private BankAdapterRegistry load(List<String> classNames) throws IOException {
        Path services = directory.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.write(services.resolve(BankAdapterProvider.class.getName()), classNames);
        URL[] urls = {directory.toUri().toURL()};
        try (URLClassLoader classLoader = new URLClassLoader(urls, getClass().getClassLoader())) {
            return BankAdapterRegistry.load(classLoader);
        }
    }
}
