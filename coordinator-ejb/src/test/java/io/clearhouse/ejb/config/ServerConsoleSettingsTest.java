package io.clearhouse.ejb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How many recent transactions the console lists: 50 by default, at most 10,000. */
class ServerConsoleSettingsTest {
    private final Map<String, String> values = new HashMap<>(Map.of(ServerSettings.BANKS_FILE, "banks.json"));

    private ServerSettings read() {
        return ServerSettings.read(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void listsFiftyByDefault() {
        assertThat(read().consoleRecentTransactionsMax()).isEqualTo(50);
        assertThat(read().effective()).containsEntry("clearhouse.console.recent-transactions-max", 50);
    }

    @Test
    void takesAConfiguredNumber() {
        values.put(ServerSettings.CONSOLE_RECENT_TRANSACTIONS_MAX, "200");

        assertThat(read().consoleRecentTransactionsMax()).isEqualTo(200);
    }

    @Test
    void refusesMoreThanTenThousandOrNone() {
        values.put(ServerSettings.CONSOLE_RECENT_TRANSACTIONS_MAX, "10001");
        assertThatThrownBy(this::read).hasMessageContaining("clearhouse.console.recent-transactions-max");

        values.put(ServerSettings.CONSOLE_RECENT_TRANSACTIONS_MAX, "0");
        assertThatThrownBy(this::read).hasMessageContaining("1..10000");
    }
}
