package io.clearhouse.ejb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The conservation audit's interval: a minute by default, 0 for none, never negative. */
class ServerAuditSettingsTest {
    private final Map<String, String> values = new HashMap<>(Map.of(ServerSettings.BANKS_FILE, "banks.json"));

    private ServerSettings read() {
        return ServerSettings.read(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void auditsEveryMinuteByDefault() {
        assertThat(read().conservationIntervalMillis()).isEqualTo(60_000);
        assertThat(read().effective()).containsEntry("clearhouse.audit.conservation-interval-millis", 60_000L);
    }

    @Test
    void zeroTurnsTheBackgroundAuditOff() {
        values.put(ServerSettings.CONSERVATION_INTERVAL_MILLIS, "0");

        assertThat(read().conservationIntervalMillis()).isZero();
    }

    @Test
    void refusesANegativeInterval() {
        values.put(ServerSettings.CONSERVATION_INTERVAL_MILLIS, "-1");

        assertThatThrownBy(this::read)
                .hasMessageContaining("clearhouse.audit.conservation-interval-millis")
                .hasMessageContaining("0..");
    }
}
