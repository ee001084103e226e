package io.clearhouse.ejb.console;

import io.clearhouse.api.Reason;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the console shows of the coordinator's traffic.
 *
 * @param at when it was read
 * @param throughput the outcomes of the last minute
 * @param committed transactions committed since the server started (API and batches)
 * @param abortedByReason transactions aborted since the server started, by reason, every reason listed
 * @param recent the last transactions the API answered, newest first
 */
public record ConsoleOverview(
        Instant at,
        Throughput.Rates throughput,
        long committed,
        Map<Reason, Long> abortedByReason,
        List<RecentTransactions.RecentTransaction> recent) {
    public ConsoleOverview {
        Map<Reason, Long> byReason = new EnumMap<>(Reason.class);
        byReason.putAll(abortedByReason);
        abortedByReason = Collections.unmodifiableMap(byReason);
        recent = List.copyOf(recent);
    }
}
