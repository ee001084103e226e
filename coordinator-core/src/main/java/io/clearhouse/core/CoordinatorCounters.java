package io.clearhouse.core;

/**
 * Cumulative figures since the coordinator opened.
 *
 * @param committed transactions committed
 * @param aborted transactions aborted
 * @param messages messages sent to banks (prepare, commit, rollback), retries included; one message carries one
 *     branch or, gathered for one bank, several
 * @param branches branch calls the messages carried: a message of 50 prepares counts one message and 50 branches
 * @param forcedWrites forced writes of the decision log plus those the banks report
 */
public record CoordinatorCounters(long committed, long aborted, long messages, long branches, long forcedWrites) {
    public long transactions() {
        return committed + aborted;
    }
}
