package io.clearhouse.core.log;

import java.time.Instant;

/**
 * A decision log that forgets the transactions that finished long ago, so that its size, its memory and its start
 * follow a retention rather than the whole history. What goes: an abort's outcome, and a commit's decision once its
 * completion (every bank acknowledged) is in the log. What stays whatever its age: incarnation markers and the commit
 * decisions a bank has not acknowledged, which recovery needs. A client that retries a forgotten id is taken for new:
 * the retention is the idempotency window. Safe to call while appends go on; the work is done a bounded number of
 * transactions at a time.
 */
public interface PrunableDecisionLog extends DecisionLog {
    /**
     * Forgets the transactions that finished before {@code cutoff}, at most {@code pageTransactionsMax} per step.
     *
     * @return what was forgotten, for the operator's log
     * @throws DecisionLogException if the log cannot be pruned now; nothing is lost, the next pruning tries again
     */
    Pruning prune(Instant cutoff, int pageTransactionsMax);

    /** What one {@link #prune} did. */
    interface Pruning {
        /** Whether anything was forgotten. */
        boolean forgotAnything();

        /** What was forgotten, in words, for the operator's log. */
        String summary();
    }
}
