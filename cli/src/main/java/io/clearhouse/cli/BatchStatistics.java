package io.clearhouse.cli;

import io.clearhouse.core.CoordinatorCounters;
import java.util.Locale;
import java.util.OptionalLong;

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

    /**
     * The same figures as one JSON object on one line, the last line {@code --stats} prints, for programs to read.
     *
     * @param lines the batch's transaction lines, every one of them (those refused before the coordinator too)
     * @param transfers the lines that went to the coordinator
     * @param allocatedBytes the heap bytes the process allocated since it started, if the JVM counts them
     */
    static String json(
            long lines, long transfers, CoordinatorCounters counters, long elapsedNanos, OptionalLong allocatedBytes) {
        double seconds = Math.max(elapsedNanos, 1) / 1e9;
        double perTransfer = Math.max(transfers, 1);
        return String.format(
                Locale.ROOT,
                "{\"lines\":%d,\"transfers\":%d,\"committed\":%d,\"aborted\":%d,\"wall_seconds\":%.6f,"
                        + "\"transfers_per_second\":%.1f,\"messages\":%d,\"branches\":%d,"
                        + "\"messages_per_transfer\":%.4f,\"branches_per_message\":%.4f,"
                        + "\"forced_writes_per_transfer\":%.4f,\"allocated_bytes_per_line\":%s}",
                lines,
                transfers,
                counters.committed(),
                counters.aborted(),
                seconds,
                transfers / seconds,
                counters.messages(),
                counters.branches(),
                counters.messages() / perTransfer,
                counters.branches() / (double) Math.max(counters.messages(), 1),
                counters.forcedWrites() / perTransfer,
                allocatedBytes.isPresent()
                        ? String.format(Locale.ROOT, "%.1f", allocatedBytes.getAsLong() / (double) Math.max(lines, 1))
                        : "null");
    }
}
