package io.clearhouse.bench;

/** Formats a {@link LoadResult} as one log line and as one row of the Markdown table in the docs. */
final class Report {
    static final String TABLE_HEADER =
            "| banks | decision log | clients | transfers/s | p50 ms | p90 ms | p99 ms | max ms "
                    + "| CPU µs/transfer | messages/transfer | branches/message | forced writes/transfer | aborted | failed |\n"
                    + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    private Report() {}

    static String line(int banks, String decisionLog, LoadResult result) {
        return String.format(
                "banks %d, %s decision log, clients %d (%s): %,.0f transfers/s over %.1f s (committed %,d,"
                        + " aborted %,d, failed %,d); latency ms p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f;"
                        + " CPU %.0f µs, %.2f messages (%.2f branches each) and %.3f forced writes per transfer%s%s",
                banks,
                decisionLog,
                result.clients(),
                result.mode().label(),
                result.transactionsPerSecond(),
                result.seconds(),
                result.committed(),
                result.aborted(),
                result.failed(),
                result.latencyMillisAt(50),
                result.latencyMillisAt(90),
                result.latencyMillisAt(99),
                result.latencyMillisAt(99.9),
                result.latencyMicros().getMaxValue() / 1000.0,
                result.cpuMicrosPerTransaction(),
                result.messagesPerTransaction(),
                result.branchesPerMessage(),
                result.forcedWritesPerTransaction(),
                result.aborted() == 0 ? "" : "; aborted by reason " + result.abortedByReason(),
                result.firstFailure() == null ? "" : "; first failure: " + result.firstFailure());
    }

    static String tableRow(int banks, String decisionLog, LoadResult result) {
        return String.format(
                "| %d | %s | %d %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f | %.2f | %.3f | %,d | %,d |",
                banks,
                decisionLog,
                result.clients(),
                result.mode().label(),
                result.transactionsPerSecond(),
                result.latencyMillisAt(50),
                result.latencyMillisAt(90),
                result.latencyMillisAt(99),
                result.latencyMicros().getMaxValue() / 1000.0,
                result.cpuMicrosPerTransaction(),
                result.messagesPerTransaction(),
                result.branchesPerMessage(),
                result.forcedWritesPerTransaction(),
                result.aborted(),
                result.failed());
    }

    /**
     * {@code decisionLog} against {@code baseline} in the same banks, clients and mode: throughput, p99 and CPU per
     * transfer, each as a ratio of the two.
     */
    static String ratioLine(int banks, String decisionLog, LoadResult result, String baseline, LoadResult base) {
        return String.format(
                "banks %d, clients %d (%s): %s/%s transfers/s %.2f, p99 %.2f, CPU/transfer %.2f",
                banks,
                result.clients(),
                result.mode().label(),
                decisionLog,
                baseline,
                result.transactionsPerSecond() / base.transactionsPerSecond(),
                result.latencyMillisAt(99) / base.latencyMillisAt(99),
                result.cpuMicrosPerTransaction() / base.cpuMicrosPerTransaction());
    }
}
