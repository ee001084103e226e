package io.clearhouse.bench;

/** Formats a {@link LoadResult} as one log line and as one row of the Markdown table in the docs. */
final class Report {
    static final String TABLE_HEADER = "| banks | clients | transfers/s | p50 ms | p90 ms | p99 ms | max ms "
            + "| messages/transfer | branches/message | forced writes/transfer | aborted | failed |\n"
            + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    private Report() {}

    static String line(int banks, LoadResult result) {
        return String.format(
                "banks %d, clients %d (%s): %,.0f transfers/s over %.1f s (committed %,d, aborted %,d, failed %,d);"
                        + " latency ms p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f;"
                        + " %.2f messages (%.2f branches each) and %.3f forced writes per transfer%s",
                banks,
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
                result.messagesPerTransaction(),
                result.branchesPerMessage(),
                result.forcedWritesPerTransaction(),
                result.firstFailure() == null ? "" : "; first failure: " + result.firstFailure());
    }

    static String tableRow(int banks, LoadResult result) {
        return String.format(
                "| %d | %d %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.3f | %,d | %,d |",
                banks,
                result.clients(),
                result.mode().label(),
                result.transactionsPerSecond(),
                result.latencyMillisAt(50),
                result.latencyMillisAt(90),
                result.latencyMillisAt(99),
                result.latencyMicros().getMaxValue() / 1000.0,
                result.messagesPerTransaction(),
                result.branchesPerMessage(),
                result.forcedWritesPerTransaction(),
                result.aborted(),
                result.failed());
    }
}
