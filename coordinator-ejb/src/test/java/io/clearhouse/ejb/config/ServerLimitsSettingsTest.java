package io.clearhouse.ejb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The limits on what a request may carry: their defaults, and the values refused at start. */
class ServerLimitsSettingsTest {
    private final Map<String, String> values = new HashMap<>(Map.of(ServerSettings.BANKS_FILE, "banks.json"));

    private ServerSettings read() {
        return ServerSettings.read(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void defaultsToWhatEveryDecisionLogStoresAndOneMebibyteBodies() {
        ServerSettings settings = read();

        assertThat(settings.coordinator().idLengthMax()).isEqualTo(16_384);
        assertThat(settings.bodyBytesMax()).isEqualTo(1_048_576);
        assertThat(settings.effective())
                .containsEntry("clearhouse.limits.id-length-max", 16_384)
                .containsEntry("clearhouse.limits.body-bytes-max", 1_048_576);
    }

    @Test
    void takesLowerLimits() {
        values.put(ServerSettings.ID_LENGTH_MAX, "256");
        values.put(ServerSettings.BODY_BYTES_MAX, "4096");

        assertThat(read().coordinator().idLengthMax()).isEqualTo(256);
        assertThat(read().bodyBytesMax()).isEqualTo(4096);
    }

    @Test
    void refusesAnIdLimitAboveWhatTheDecisionLogsStore() {
        values.put(ServerSettings.ID_LENGTH_MAX, "100000");

        assertThatThrownBy(this::read)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the setting clearhouse.limits.id-length-max must be an integer in 1..16384, not \"100000\"");
    }

    @Test
    void refusesLimitsThatAreNotPositive() {
        values.put(ServerSettings.BODY_BYTES_MAX, "0");

        assertThatThrownBy(this::read).hasMessageContaining("clearhouse.limits.body-bytes-max");
    }
}
