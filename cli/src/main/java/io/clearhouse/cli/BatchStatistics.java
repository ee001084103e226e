package io.clearhouse.cli;

import io.clearhouse.core.CoordinatorCounters;
import java.util.Locale;

/** The figures {@code --stats} prints: throughput, and the cost of a transfer in messages and forced writes. */
final class BatchStatistics {
    private BatchStatistics() {}

    /**
     * @param transfers the batch's lines that went to the coordinator
     * @param elapsedNanos from opening the banks to the last completion
     */
    static String describe(long transfers, CoordinatorCounters counters, long elapsedNanos) {
        double seconds = Math.max(elapsedNanos, 1) / 1e9;
        double perTransfer = Math.max(transfers, 1);
        return String.format(
                Locale.ROOT,
                "stats: %d transfers (%d committed, %d aborted by the coordinator) in %.3f s:"
                        + " %.0f transfers/s, %.2f messages per transfer, %.3f forced writes per transfer",
                transfers,
                counters.committed(),
                counters.aborted(),
                seconds,
                transfers / seconds,
                counters.messages() / perTransfer,
                counters.forcedWrites() / perTransfer);
    }
}
