package io.clearhouse.ejb.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outcomes per second over the last minute, the current second included, older seconds forgotten. */
class ThroughputTest {
    private static final long NOW = 1_800_000_000L;
    private final Throughput throughput = new Throughput();

    @Test
    void countsTheOutcomesOfTheLastMinuteByStatus() {
        throughput.record(Status.COMMITTED, NOW);
        throughput.record(Status.COMMITTED, NOW - 59);
        throughput.record(Status.ABORTED, NOW - 30);

        Throughput.Rates rates = throughput.over(NOW);

        assertThat(rates.committed()).isEqualTo(2);
        assertThat(rates.aborted()).isEqualTo(1);
        assertThat(rates.committedPerSecond()).isEqualTo(2.0 / 60);
        assertThat(rates.abortedPerSecond()).isEqualTo(1.0 / 60);
    }

    @Test
    void forgetsSecondsThatLeftTheWindow() {
        throughput.record(Status.COMMITTED, NOW - 60);
        throughput.record(Status.ABORTED, NOW - 61);

        assertThat(throughput.over(NOW).committed()).isZero();
        assertThat(throughput.over(NOW).aborted()).isZero();
        assertThat(throughput.over(NOW - 1).committed()).isEqualTo(1);
    }

    @Test
    void aSecondAWindowLaterStartsItsSlotFromZero() {
        throughput.record(Status.COMMITTED, NOW);
        throughput.record(Status.COMMITTED, NOW + 60);

        assertThat(throughput.over(NOW + 60).committed()).isEqualTo(1);
    }

    @Test
    void anOutcomeFromAClockReadAWindowAgoCountsNowhere() {
        throughput.record(Status.COMMITTED, NOW + 60);
        throughput.record(Status.COMMITTED, NOW);

        assertThat(throughput.over(NOW + 60).committed()).isEqualTo(1);
    }

    @Test
    void losesNoCountWhenThreadsRecordTheSameSecondsAtOnce() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int n = 0; n < 10_000; n++) {
                    throughput.record(n % 2 == 0 ? Status.COMMITTED : Status.ABORTED, NOW - (n % 3));
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(throughput.over(NOW).committed()).isEqualTo(20_000);
        assertThat(throughput.over(NOW).aborted()).isEqualTo(20_000);
    }
}
