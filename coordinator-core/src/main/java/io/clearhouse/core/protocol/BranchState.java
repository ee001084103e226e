package io.clearhouse.core.protocol;

/**
 * Where one bank's branch stands, as the coordinator knows it: {@code PREPARE_SENT}, then a vote or a failed prepare,
 * then {@code PHASE_TWO_SENT} for a branch that may hold something, then {@code ACKNOWLEDGED} or {@code ABANDONED}.
 * A branch is born {@code PREPARE_SENT} and moves only through {@link #transitionTo}, as the transaction's own state
 * does through {@link CoordinatorState#transitionTo}.
 */
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
    ABANDONED;

    /**
     * The state after moving from {@code this} to {@code next}.
     *
     * @throws IllegalStateException if the move is not allowed: a protocol bug
     */
    public BranchState transitionTo(BranchState next) {
        if (!allowed(this, next)) {
            throw new IllegalStateException("illegal branch transition " + this + " -> " + next);
        }
        return next;
    }

    private static boolean allowed(BranchState from, BranchState to) {
        return switch (to) {
            case PREPARE_SENT -> false;
            case VOTED_COMMIT, VOTED_READ_ONLY, VOTED_ABORT, PREPARE_FAILED -> from == PREPARE_SENT;
            // A rollback may follow any answer, or none at the deadline, and a commit a COMMIT vote: the state does
            // not tell the two apart, the transaction's does.
            case PHASE_TWO_SENT -> from != PHASE_TWO_SENT && from != ACKNOWLEDGED && from != ABANDONED;
            case ACKNOWLEDGED, ABANDONED -> from == PHASE_TWO_SENT;
        };
    }
}
