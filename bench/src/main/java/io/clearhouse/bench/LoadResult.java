package io.clearhouse.bench;

import io.clearhouse.api.Reason;
import io.clearhouse.core.CoordinatorCounters;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What the measured window of a {@link ClientLoad} saw.
 *
 * @param clients concurrent clients
 * @param mode how the clients waited for their outcomes
 * @param seconds length of the measured window
 * @param committed outcomes received in the window that committed
 * @param aborted outcomes received in the window that aborted
 * @param abortedByReason those outcomes by their reason
 * @param failed transactions whose outcome failed or did not arrive in time, over the whole run
 * @param firstFailure a description of the first failure, or {@code null}
 * @param latencyMicros submit-to-durable-outcome latencies of the counted transactions, in microseconds
 * @param cpuNanos CPU time of this process and those it started (bank servers, Raft peers) in the window
 * @param before the coordinator's counters when the window opened
 * @param after the coordinator's counters when the window closed
 */
record LoadResult(
        int clients,
        ClientMode mode,
        double seconds,
        long committed,
        long aborted,
        Map<Reason, Long> abortedByReason,
        long failed,
        String firstFailure,
        Histogram latencyMicros,
        long cpuNanos,
        CoordinatorCounters before,
        CoordinatorCounters after) {

    double transactionsPerSecond() {
        return (committed + aborted) / seconds;
    }

    /** Branches per message to a bank in the window: how well concurrent branches for one bank were gathered. */
    double branchesPerMessage() {
        long messages = after.messages() - before.messages();
        return messages == 0 ? Double.NaN : (double) (after.branches() - before.branches()) / messages;
    }

    /** Messages to banks per transaction decided in the window, from the coordinator's own counters. */
    double messagesPerTransaction() {
        return perTransaction(after.messages() - before.messages());
    }

    /** Forced writes (decision log and banks) per transaction decided in the window. */
    double forcedWritesPerTransaction() {
        return perTransaction(after.forcedWrites() - before.forcedWrites());
    }

    /** CPU time per transaction counted in the window, in microseconds, clients and every process included. */
    double cpuMicrosPerTransaction() {
        long counted = committed + aborted;
        return counted == 0 ? Double.NaN : cpuNanos / 1000.0 / counted;
    }

    double latencyMillisAt(double percentile) {
        return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    private double perTransaction(long count) {
        long decided = after.transactions() - before.transactions();
        return decided == 0 ? Double.NaN : (double) count / decided;
    }
}
