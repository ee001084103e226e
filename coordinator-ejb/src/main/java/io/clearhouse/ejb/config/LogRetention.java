package io.clearhouse.ejb.config;

import java.time.Duration;

/**
 * How long the decision log (PostgreSQL's, or a cluster's replicated one) keeps a finished transaction's records,
 * which is also the idempotency window: a retry after it counts as new. Pruned in the background every {@code
 * pruneIntervalMillis}, so many transactions per database transaction or per Raft prune entry.
 *
 * @param retentionMillis how long a finished transaction's records stay; 0 keeps them for ever
 * @param pruneIntervalMillis the pause between two prunings
 * @param prunePageTransactionsMax how many transactions one database transaction of the pruning deletes, or one
 *     prune entry of the replicated log forgets
 */
public record LogRetention(long retentionMillis, long pruneIntervalMillis, int prunePageTransactionsMax) {
    public static final String RETENTION_MILLIS = "clearhouse.decision-log.retention-millis";
    public static final String PRUNE_INTERVAL_MILLIS = "clearhouse.decision-log.prune-interval-millis";
    public static final String PRUNE_PAGE_TRANSACTIONS_MAX = "clearhouse.decision-log.prune-page-transactions-max";
    /** Seven days. */
    static final long RETENTION_MILLIS_DEFAULT = 7L * 24 * 3_600_000;

    static final long PRUNE_INTERVAL_MILLIS_DEFAULT = 600_000;
    static final int PRUNE_PAGE_TRANSACTIONS_MAX_DEFAULT = 1_000;

    /** Whether anything is ever pruned. */
    public boolean prunes() {
        return retentionMillis > 0;
    }

    public Duration retention() {
        return Duration.ofMillis(retentionMillis);
    }
}
