package io.clearhouse.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BankConfigTest {
    private static BankConfig withSetting(String value) {
        return new BankConfig("7", Map.of(), Map.of("limit", value));
    }

    @Test
    void readsAnIntegerSettingWithinItsRangeOrTheDefaultWhenAbsent() {
        assertThat(withSetting(" 42 ").integerSetting("limit", 5, 1, 100)).isEqualTo(42);
        assertThat(withSetting("42").integerSetting("other", 5, 1, 100)).isEqualTo(5);
        assertThat(withSetting("0").integerSetting("limit", 5, 0, 100)).isZero();
    }

    @Test
    void refusesATextOrANumberOutOfRangeNamingTheBankAndTheKey() {
        for (String value : new String[] {"x", "0", "101", "9999999999999999999999"}) {
            assertThatThrownBy(() -> withSetting(value).integerSetting("limit", 5, 1, 100))
                    .isInstanceOf(BankException.class)
                    .hasMessageContaining("7")
                    .hasMessageContaining("setting limit must be an integer in 1..100: " + value);
        }
    }
}
