package io.clearhouse.core.recovery;

/**
 * Which outcome an operator may send a branch in doubt, against what the decision log holds. The outcome the log
 * asks for (commit where it holds a commit decision, rollback where it holds none) is always allowed; the other one
 * is a heuristic decision, allowed only when forced, since it breaks the atomicity the log promised.
 */
public final class ManualSettlementRule {
    private ManualSettlementRule() {}

    /** How {@code request} stands against {@code decided}, the outcome the log asks of the branch. */
    public static Verdict judge(BranchOutcome decided, ManualSettlementRequest request) {
        if (request.outcome() == decided) {
            return Verdict.AS_DECIDED;
        }
        return request.forced() ? Verdict.HEURISTIC : Verdict.CONTRADICTS_DECISION;
    }

    /** Whether a manual settlement may go ahead, and whether it agrees with the log. */
    public enum Verdict {
        /** The outcome the log asks for: what recovery itself would send. */
        AS_DECIDED,
        /** The other outcome, forced: sent, and recorded as a heuristic decision beside the log's. */
        HEURISTIC,
        /** The other outcome, not forced: refused, nothing sent. */
        CONTRADICTS_DECISION;

        public boolean sends() {
            return this != CONTRADICTS_DECISION;
        }
    }
}
