package io.clearhouse.core.recovery;

/** What phase two sends one branch: the commit of a decided transaction, or its rollback. */
public enum BranchOutcome {
    COMMIT,
    ROLLBACK;

    /** The outcome a decision asks of its branches: commit for a commit decision, rollback under presumed abort. */
    public static BranchOutcome ofDecision(boolean commitDecided) {
        return commitDecided ? COMMIT : ROLLBACK;
    }
}
