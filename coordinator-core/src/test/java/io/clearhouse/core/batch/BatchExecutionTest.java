package io.clearhouse.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.clearhouse.api.Reason;
import io.clearhouse.api.Status;
import io.clearhouse.api.batch.BatchLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scheduling logic against a pure-logic coordinator; the real engine is exercised in BatchOnEngineTest. */
class BatchExecutionTest {
    private static List<LineResult> resultsOf(BatchResults results) {
        List<LineResult> list = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            list.add(results.result(i));
        }
        return list;
    }

    /** The transfer line that has {@code transfers} transfer lines before it. */
    private static BatchLine transferAfter(RandomBatch batch, int transfers) {
        return batch.lines.stream()
                .filter(line -> line instanceof BatchLine.Transfer)
                .skip(transfers)
                .findFirst()
                .orElseThrow();
    }

    /** Runs a batch while a second thread completes submissions in a seeded random order. */
    private static BatchResults runDeferred(FakeCoordinator coordinator, List<BatchLine> lines, BatchOptions options)
            throws InterruptedException {
        Thread completer = new Thread(() -> {
            while (coordinator.completeOneAtRandom()) {
                // Keeps completing until interrupted.
            }
        });
        completer.start();
        try {
            return new BatchExecution(lines, coordinator, options).run();
        } finally {
            completer.interrupt();
            completer.join();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void matchesSerialExecutionWhenCompletionsArriveInRandomOrder(long seed) throws InterruptedException {
        RandomBatch batch = RandomBatch.generate(seed, 3, 4, 2_000);
        FakeCoordinator coordinator = new FakeCoordinator(batch.balances, batch.lines, false, seed);
        SerialModel reference = new SerialModel(batch.balances);

        BatchResults results = runDeferred(coordinator, batch.lines, new BatchOptions(3, 16));

        assertThat(resultsOf(results)).as("seed %d", seed).isEqualTo(reference.run(batch.lines));
        assertThat(coordinator.balances()).isEqualTo(reference.balances());
        assertThat(coordinator.violations()).isEmpty();
    }

    @Test
    void matchesSerialExecutionWhenTheCoordinatorCompletesOnTheSubmittingThread() {
        RandomBatch batch = RandomBatch.generate(42, 4, 5, 20_000);
        FakeCoordinator coordinator = new FakeCoordinator(batch.balances, batch.lines, true, 42);
        SerialModel reference = new SerialModel(batch.balances);

        BatchResults results = new BatchExecution(batch.lines, coordinator, new BatchOptions(2, 8)).run();

        assertThat(resultsOf(results)).isEqualTo(reference.run(batch.lines));
        assertThat(coordinator.violations()).isEmpty();
    }

    @Test
    void runsALongChainOnOneAccountWithoutRecursion() {
        List<BatchLine> lines = new ArrayList<>();
        for (int line = 1; line <= 200_000; line++) {
            String other = "x" + (line % 7);
            lines.add(
                    line % 2 == 0
                            ? new BatchLine.Transfer(line, "t" + line, "hot", other, 1)
                            : new BatchLine.Transfer(line, "t" + line, other, "hot", 1));
        }
        Map<String, Long> balances = new java.util.HashMap<>(Map.of("hot", 0L));
        for (int i = 0; i < 7; i++) {
            balances.put("x" + i, 1_000_000L);
        }
        FakeCoordinator coordinator = new FakeCoordinator(balances, lines, true, 1);

        BatchResults results = new BatchExecution(lines, coordinator, BatchOptions.defaults()).run();

        assertThat(resultsOf(results)).isEqualTo(new SerialModel(balances).run(lines));
        assertThat(coordinator.balances().get("hot")).isZero();
    }

    @Test
    void keepsTheNumberInFlightWithinTheBound() throws InterruptedException {
        RandomBatch batch = RandomBatch.generate(9, 50, 20, 3_000);
        FakeCoordinator coordinator = new FakeCoordinator(batch.balances, batch.lines, false, 9);

        runDeferred(coordinator, batch.lines, new BatchOptions(2, 5));

        assertThat(coordinator.inFlightPeak()).isBetween(1, 5 + 2 - 1);
        assertThat(coordinator.violations()).isEmpty();
    }

    @Test
    void submitsIndependentTransfersWithoutWaitingForEachOther() throws InterruptedException {
        List<BatchLine> lines = new ArrayList<>();
        for (int line = 1; line <= 32; line++) {
            lines.add(new BatchLine.Transfer(line, "t" + line, "from" + line, "to" + line, 1));
        }
        FakeCoordinator coordinator = new FakeCoordinator(Map.of(), lines, false, 3);
        Thread completer = new Thread(() -> {
            try {
                coordinator.awaitPending(32);
                while (coordinator.completeOneAtRandom()) {
                    // Completes nothing until all 32 are in flight at once, then everything.
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        completer.start();
        try {
            BatchResults results = new BatchExecution(lines, coordinator, new BatchOptions(1, 64)).run();
            assertThat(results.reason(0)).isEqualTo(Reason.UNKNOWN_ACCOUNT);
        } finally {
            completer.interrupt();
            completer.join();
        }
        assertThat(coordinator.inFlightPeak()).isEqualTo(32);
    }

    @Test
    void refusedLinesNeverReachTheCoordinator() {
        List<BatchLine> lines = List.of(
                new BatchLine.Refused(2, null, Reason.INVALID_FORMAT),
                new BatchLine.Transfer(3, "a", "x", "y", 5),
                new BatchLine.Refused(5, "a", Reason.DUPLICATE_ID),
                new BatchLine.Transfer(6, "b", "y", "x", 50));
        FakeCoordinator coordinator = new FakeCoordinator(Map.of("x", 10L, "y", 0L), lines, true, 1);

        BatchResults results = new BatchExecution(lines, coordinator, BatchOptions.defaults()).run();

        assertThat(coordinator.submissions()).isEqualTo(2);
        assertThat(resultsOf(results))
                .containsExactly(
                        new LineResult(2, null, Status.ABORTED, Reason.INVALID_FORMAT),
                        new LineResult(3, "a", Status.COMMITTED, null),
                        new LineResult(5, "a", Status.ABORTED, Reason.DUPLICATE_ID),
                        new LineResult(6, "b", Status.ABORTED, Reason.INSUFFICIENT_FUNDS));
    }

    @Test
    void failsWithTheLineWhoseTransferTheCoordinatorCouldNotFinish() {
        RandomBatch batch = RandomBatch.generate(5, 2, 3, 500);
        FakeCoordinator coordinator = new FakeCoordinator(batch.balances, batch.lines, true, 5);
        BatchLine victim = transferAfter(batch, 100);
        coordinator.failOn(victim.transactionId());

        assertThatThrownBy(() -> new BatchExecution(batch.lines, coordinator, new BatchOptions(2, 4)).run())
                .isInstanceOfSatisfying(BatchExecutionException.class, e -> assertThat(e.lineNumber())
                        .isEqualTo(victim.lineNumber()));
    }

    @Test
    void anErrorOnTheCallersThreadFailsTheBatch() {
        RandomBatch batch = RandomBatch.generate(9, 2, 3, 500);
        FakeCoordinator coordinator = new FakeCoordinator(batch.balances, batch.lines, true, 9);
        BatchLine victim = transferAfter(batch, 50);
        OutOfMemoryError error = new OutOfMemoryError("simulated");
        coordinator.throwOnSubmit(victim.transactionId(), error);

        assertThatThrownBy(() -> new BatchExecution(batch.lines, coordinator, new BatchOptions(1, 4)).run())
                .isInstanceOfSatisfying(BatchExecutionException.class, e -> assertThat(e.getCause())
                        .isSameAs(error));
    }

    @Test
    void anErrorOnAHelperThreadFailsTheBatchWithoutStrandingTheCaller() {
        // Enough accounts that many transfers are ready at the start, more than the caller claims at once.
        RandomBatch batch = RandomBatch.generate(9, 100, 10, 2_000);
        FakeCoordinator coordinator = new FakeCoordinator(batch.balances, batch.lines, true, 9);
        OutOfMemoryError error = new OutOfMemoryError("simulated");
        coordinator.throwOnFirstHelperSubmit(error);

        // Left to end the helper's thread alone, the error would leave the caller waiting for ever for the transfer
        // the helper had claimed.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(
                        () -> new BatchExecution(batch.lines, coordinator, new BatchOptions(2, 4)).run())
                .isInstanceOfSatisfying(BatchExecutionException.class, e -> assertThat(e.getCause())
                        .isSameAs(error)));
    }

    @Test
    void anEmptyBatchHasNoResults() {
        FakeCoordinator coordinator = new FakeCoordinator(Map.of(), List.of(), true, 1);

        assertThat(new BatchExecution(List.of(), coordinator, BatchOptions.defaults())
                        .run()
                        .size())
                .isZero();
    }
}
