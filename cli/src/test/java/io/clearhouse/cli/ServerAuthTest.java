package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.auth.SigningKeys;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings {@code serve} and {@code cluster} hand their servers for tokens. */
class ServerAuthTest {
    @TempDir
    Path directory;

    @Test
    void leavesMetricsAndOpenApiOpenWithoutTheOption() throws Exception {
        Properties properties = new Properties();

        ServerAuth.configure(properties, new SigningKeys(directory), ServerAuth.metricsOpenApiRole(Optional.empty()));

        assertThat(properties).doesNotContainKey("clearhouse.auth.metrics-openapi-role");
        assertThat(properties.getProperty("mp.jwt.verify.publickey.location")).isNotBlank();
    }

    @Test
    void passesTheRoleOfTheOptionToTheServer() throws Exception {
        Properties properties = new Properties();

        ServerAuth.configure(
                properties, new SigningKeys(directory), ServerAuth.metricsOpenApiRole(Optional.of("read")));

        assertThat(properties.getProperty("clearhouse.auth.metrics-openapi-role"))
                .isEqualTo("read");
    }

    @Test
    void refusesAValueThatNamesNoRole() {
        assertThatThrownBy(() -> ServerAuth.metricsOpenApiRole(Optional.of("")))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("--metrics-openapi-role");
    }
}
