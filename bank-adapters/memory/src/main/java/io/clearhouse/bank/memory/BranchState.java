package io.clearhouse.bank.memory;

/**
 * Where a branch stands in this bank. The two final states double as the markers the bank keeps for a finished
 * xid, so that a late or repeated call for it is answered without the branch itself.
 */
enum BranchState {
    /** Holds are being taken and, in a durable bank, the prepare record forced; the vote is not given yet. */
    PREPARING,
    /** Voted COMMIT; holds are in place until commit or rollback. */
    PREPARED,
    COMMITTED,
    ROLLED_BACK,
    /** Voted ABORT: nothing held, nothing remembered. */
    ABORTED
}
