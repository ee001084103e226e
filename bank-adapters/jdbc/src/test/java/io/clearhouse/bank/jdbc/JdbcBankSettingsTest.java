package io.clearhouse.bank.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.BankException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JdbcBankSettingsTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/bank1";

    private static JdbcBankSettings settings(String... keysAndValues) {
        Map<String, String> settings = new HashMap<>();
        settings.put(JdbcBankSettings.URL, URL);
        settings.put(JdbcBankSettings.USER, "clearhouse");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] == null) {
                settings.remove(keysAndValues[i]);
            } else {
                settings.put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return JdbcBankSettings.of(new BankConfig("bank-7", Map.of(), settings));
    }

    @Test
    void fillsInDefaultsForEverythingButUrlAndUser() {
        JdbcBankSettings settings = settings();

        assertThat(settings.url()).isEqualTo(URL);
        assertThat(settings.password()).isEmpty();
        assertThat(settings.schema()).isEqualTo("public");
        assertThat(settings.mode()).isEqualTo(JdbcBankMode.ESCROW);
        assertThat(settings.lockTimeoutMillis()).isLessThan(settings.statementTimeoutMillis());
        assertThat(settings.branchesPerTransactionMax()).isEqualTo(256);
    }

    @Test
    void readsModeSchemaAndLimits() {
        JdbcBankSettings settings = settings(
                "mode", "xa", "schema", "bank_7", "lock-timeout-millis", "300", "postings-per-branch-max", "2");

        assertThat(settings.mode()).isEqualTo(JdbcBankMode.XA);
        assertThat(settings.schema()).isEqualTo("bank_7");
        assertThat(settings.lockTimeoutMillis()).isEqualTo(300);
        assertThat(settings.postingsPerBranchMax()).isEqualTo(2);
    }

    @Test
    void refusalsNameTheBankAndTheSetting() {
        assertRefused("setting url is required", "url", null);
        assertRefused("setting url must be jdbc:postgresql://", "url", "jdbc:mysql://db/bank");
        assertRefused("setting user is required", "user", " ");
        assertRefused("setting mode must be one of [escrow, xa]: XA", "mode", "XA");
        assertRefused("setting schema must match", "schema", "Bank; DROP TABLE account");
        assertRefused("setting schema must not begin with pg_", "schema", "pg_bank");
        assertRefused("setting connections-max must be an integer in 1..1024", "connections-max", "0");
        assertRefused("setting lock-timeout-millis must be an integer", "lock-timeout-millis", "soon");
        assertRefused(
                "setting statement-timeout-millis must be above lock-timeout-millis (2000)",
                "statement-timeout-millis",
                "2000");
        assertRefused("unknown setting directory", "directory", "/tmp");
        assertRefused("setting password must have at most 4096 characters", "password", "x".repeat(4097));
    }

    @Test
    void neverShowsThePassword() {
        JdbcBankSettings settings = settings("password", "s3cret-value");

        assertThat(settings.toString()).doesNotContain("s3cret-value").contains(URL);
        assertThat(settings.describe()).doesNotContainValue("s3cret-value");
    }

    private static void assertRefused(String message, String key, String value) {
        assertThatThrownBy(() -> settings(key, value))
                .isInstanceOf(BankException.class)
                .hasMessageStartingWith("bank bank-7: ")
                .hasMessageContaining(message);
    }
}
