package io.clearhouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentsTest {
    private static final Map<String, String> DEFAULTS = Arguments.defaults("threads", "16,64", "transfers", "10_000");

    @Test
    void keepsDefaultsForOptionsNotGiven() {
        Arguments arguments = Arguments.parse(new String[] {"--threads", "8"}, DEFAULTS);

        assertThat(arguments.integers("threads")).containsExactly(8);
        assertThat(arguments.integer("transfers")).isEqualTo(10_000);
        assertThat(arguments.describe()).isEqualTo("--threads 8 --transfers 10_000");
    }

    @Test
    void refusesAnUnknownOptionAndNamesTheKnownOnes() {
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--thread", "8"}, DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--thread")
                .hasMessageContaining("--threads, --transfers");
    }

    @Test
    void refusesAnOptionWithoutValue() {
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--threads"}, DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a value");
    }
}
