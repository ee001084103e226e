package io.clearhouse.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalIdsTest {
    @Test
    void ordersByIncarnationThenSequenceAsNumbersNotAsText() {
        List<String> ids = new ArrayList<>(List.of("10.1", "2.10", "9.99", "2.9", "2.100"));

        ids.sort(GlobalIds.ORDER);

        assertThat(ids).containsExactly("2.9", "2.10", "2.100", "9.99", "10.1");
    }

    @Test
    void everyIdOfAnIncarnationBeginsWithItsPrefix() {
        assertThat(GlobalIds.prefixOf(12) + 7).isEqualTo("12.7");
        assertThat(GlobalIds.ORDER.compare(GlobalIds.prefixOf(12) + 7, "12.7")).isZero();
    }

    @Test
    void tellsAnIdOfALaterIncarnation() {
        assertThat(GlobalIds.isOfLaterIncarnation("13.1", 12)).isTrue();
        assertThat(GlobalIds.isOfLaterIncarnation("12.99", 12)).isFalse();
        assertThat(GlobalIds.isOfLaterIncarnation("3.5", 12)).isFalse();
        assertThat(GlobalIds.isOfLaterIncarnation("not-an-id", 12)).isFalse();
        assertThat(GlobalIds.isOfLaterIncarnation("x13.1", 12)).isFalse();
        assertThat(GlobalIds.isOfLaterIncarnation(".1", 12)).isFalse();
    }
}
