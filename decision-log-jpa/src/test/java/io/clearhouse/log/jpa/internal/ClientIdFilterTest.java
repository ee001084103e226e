package io.clearhouse.log.jpa.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientIdFilterTest {
    private static final int IDS = 100_000;

    @Test
    void neverDeniesAnIdItTookAcrossGrowth() {
        ClientIdFilter filter = new ClientIdFilter(1_000);
        for (int i = 0; i < IDS; i++) {
            filter.add("transfer-" + i);
        }
        for (int i = 0; i < IDS; i++) {
            assertThat(filter.mightContain("transfer-" + i)).as("transfer-" + i).isTrue();
        }
    }

    @Test
    void deniesNearlyEveryIdItNeverTook() {
        ClientIdFilter filter = new ClientIdFilter(IDS);
        for (int i = 0; i < IDS; i++) {
            filter.add("transfer-" + i);
        }
        int falsePositives = 0;
        for (int i = 0; i < IDS; i++) {
            if (filter.mightContain("other-" + i)) {
                falsePositives++;
            }
        }
        assertThat(falsePositives).as("false positives among %d new ids", IDS).isLessThan(IDS / 50);
    }

    @Test
    void takesAboutTenBitsPerId() {
        ClientIdFilter filter = new ClientIdFilter(IDS);
        assertThat(filter.sizeInBytes()).isBetween(IDS * 10L / 8, IDS * 10L / 8 + 8);
    }

    @Test
    void anEmptyFilterDeniesEverything() {
        assertThat(new ClientIdFilter(16).mightContain("")).isFalse();
        assertThat(new ClientIdFilter(16).mightContain("t1")).isFalse();
    }
}
