package io.clearhouse.bank.jdbc;

/** The state of a branch in the {@code branch} table; see the migration for what each means. */
enum BranchState {
    HELD,
    COMMITTED,
    POSTED,
    ROLLED_BACK;

    boolean isFinished() {
        return this == POSTED || this == ROLLED_BACK;
    }
}
