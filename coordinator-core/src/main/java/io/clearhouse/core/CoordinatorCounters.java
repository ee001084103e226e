package io.clearhouse.core;

/**
 * Cumulative figures since the coordinator opened.
 *
 * @param committed transactions committed
 * @param aborted transactions aborted
 * @param messages calls made to banks (prepare, commit, rollback), retries included
 * @param forcedWrites forced writes of the decision log plus those the banks report
 */
public record CoordinatorCounters(long committed, long aborted, long messages, long forcedWrites) {
    public long transactions() {
        return committed + aborted;
    }
}
