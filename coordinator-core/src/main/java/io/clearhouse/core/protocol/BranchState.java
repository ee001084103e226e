package io.clearhouse.core.protocol;

/** Where one bank's branch stands, as the coordinator knows it. */
public enum BranchState {
    /** Prepare sent, no vote yet. */
    PREPARE_SENT,
    /** Voted COMMIT: the bank holds a durable reservation. */
    VOTED_COMMIT,
    /** Voted READ_ONLY: nothing to do in phase two. */
    VOTED_READ_ONLY,
    /** Voted ABORT: the bank kept nothing. */
    VOTED_ABORT,
    /** The prepare call failed; the bank may or may not hold the branch, so it is rolled back. */
    PREPARE_FAILED,
    /** Commit or rollback sent, not yet acknowledged. */
    PHASE_TWO_SENT,
    /** Commit or rollback acknowledged. */
    ACKNOWLEDGED,
    /** Phase two gave up after its retry limit; recovery resolves the branch at the next open. */
    ABANDONED
}
