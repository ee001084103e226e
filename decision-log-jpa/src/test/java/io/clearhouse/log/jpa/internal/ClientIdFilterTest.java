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

    @Test
    void startsASegmentPerSpanAndRetiresThoseWhoseLastIdIsOlderThanAsked() {
        long[] now = {0};
        ClientIdFilter filter = new ClientIdFilter(IDS, 1_000, () -> now[0]);
        for (int hour = 0; hour < 5; hour++) {
            now[0] = hour * 1_000L;
            filter.add("hour-" + hour);
        }
        assertThat(filter.segments()).as("one per span").isEqualTo(5);

        assertThat(filter.retireSegmentsLastAddedBefore(3_000)).isEqualTo(3);

        assertThat(filter.segments()).isEqualTo(2);
        assertThat(filter.mightContain("hour-3")).isTrue();
        assertThat(filter.mightContain("hour-4")).isTrue();
        assertThat(filter.retireSegmentsLastAddedBefore(Long.MAX_VALUE))
                .as("the newest always stays")
                .isEqualTo(1);
        filter.add("after");
        assertThat(filter.mightContain("after")).isTrue();
    }
}
