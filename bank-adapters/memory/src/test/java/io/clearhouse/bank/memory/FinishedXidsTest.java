package io.clearhouse.bank.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.spi.Xid;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The markers' two bounds, count and age, with a clock the test moves itself. */
class FinishedXidsTest {
    private static final long RETENTION_MILLIS = 60_000;

    private final AtomicLong now = new AtomicLong(1_000);
    private final FinishedXids markers = new FinishedXids(1_000, RETENTION_MILLIS, now::get);

    private static Xid xid(int number) {
        return new Xid("1." + number, "B");
    }

    /** Finishes xids {@code from} to {@code to}, both included. */
    private void finish(int from, int to) {
        for (int number = from; number <= to; number++) {
            markers.put(xid(number), BranchState.COMMITTED);
        }
    }

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void remembersWhatFinishedWithinTheRetentionAndBelowTheCount() {
        finish(1, 900);
        advanceMillis(RETENTION_MILLIS - 1);
        finish(901, 999);

        assertThat(markers.get(xid(1))).isEqualTo(BranchState.COMMITTED);
        assertThat(markers.entries()).hasSize(999);
    }

    @Test
    void forgetsAGenerationTwoRetentionsOldOnceEnoughMoreFinished() {
        finish(1, 10);
        advanceMillis(RETENTION_MILLIS);
        finish(11, FinishedXids.CLOCK_LOOK_INTERVAL);
        assertThat(markers.get(xid(1))).as("in the previous generation now").isEqualTo(BranchState.COMMITTED);

        advanceMillis(RETENTION_MILLIS);
        finish(FinishedXids.CLOCK_LOOK_INTERVAL + 1, 2 * FinishedXids.CLOCK_LOOK_INTERVAL);

        assertThat(markers.get(xid(1))).isNull();
        assertThat(markers.get(xid(FinishedXids.CLOCK_LOOK_INTERVAL + 1))).isEqualTo(BranchState.COMMITTED);
        assertThat(markers.entries()).hasSize(FinishedXids.CLOCK_LOOK_INTERVAL);
    }

    @Test
    void aQuietBankKeepsItsFewMarkersHoweverOld() {
        finish(1, FinishedXids.CLOCK_LOOK_INTERVAL - 1);
        advanceMillis(10 * RETENTION_MILLIS);
        finish(FinishedXids.CLOCK_LOOK_INTERVAL, FinishedXids.CLOCK_LOOK_INTERVAL);
        finish(FinishedXids.CLOCK_LOOK_INTERVAL + 1, 2 * FinishedXids.CLOCK_LOOK_INTERVAL - 1);

        assertThat(markers.get(xid(1)))
                .as("one generation back: still remembered")
                .isEqualTo(BranchState.COMMITTED);
    }

    @Test
    void theCountBoundsTheMarkersWhateverTheClock() {
        finish(1, 2_500);

        assertThat(markers.get(xid(1))).isNull();
        assertThat(markers.get(xid(2_000))).isEqualTo(BranchState.COMMITTED);
        assertThat(markers.entries()).hasSize(1_500);
    }
}
