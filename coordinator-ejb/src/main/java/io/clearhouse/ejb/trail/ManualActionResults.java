package io.clearhouse.ejb.trail;

import io.clearhouse.core.recovery.BranchOutcome;
import io.clearhouse.core.recovery.InDoubtReport;
import io.clearhouse.core.recovery.ManualSettlementResult;
import java.util.Locale;

/**
 * The result column of the audit trail, and the reason codes the API answers a settlement with. A refusal reads
 * {@code refused: <reason>}, a failure {@code failed: <reason>}, so that a reader can tell an attempt that changed
 * nothing from one that did.
 */
public final class ManualActionResults {
    public static final String NOT_IN_DOUBT = "NOT_IN_DOUBT";
    public static final String DECISION_MISMATCH = "DECISION_MISMATCH";
    public static final String BANK_UNAVAILABLE = "BANK_UNAVAILABLE";
    /** What the API and the trail say of a settlement the bank acknowledged. */
    public static final String SETTLED = "settled";

    /** Longest failure text kept, so that an exception's message cannot grow a row without bound. */
    static final int FAILURE_LENGTH_MAX = 1_000;

    private ManualActionResults() {}

    /** {@code settled}, {@code settled: heuristic, the log decided commit}, or why it was refused or failed. */
    public static String of(ManualSettlementResult result) {
        if (result instanceof ManualSettlementResult.Settled settled) {
            return settled.heuristic() ? SETTLED + ": heuristic, the log decided " + code(settled.decided()) : SETTLED;
        }
        if (result instanceof ManualSettlementResult.NotInDoubt) {
            return "refused: " + NOT_IN_DOUBT;
        }
        if (result instanceof ManualSettlementResult.ContradictsDecision) {
            return "refused: " + DECISION_MISMATCH;
        }
        return "failed: " + BANK_UNAVAILABLE;
    }

    /** A recovery pass's counts, named as in the API's answer to {@code POST /api/recovery}. */
    public static String of(InDoubtReport report) {
        return "committed=" + report.committed() + " rolled_back=" + report.rolledBack() + " skipped_in_flight="
                + report.skippedInFlight() + " still_in_doubt=" + report.stillInDoubt();
    }

    /** An action that ended in an exception: its class and message, cut to {@link #FAILURE_LENGTH_MAX}. */
    public static String failed(RuntimeException e) {
        String text = "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        return text.length() <= FAILURE_LENGTH_MAX ? text : text.substring(0, FAILURE_LENGTH_MAX);
    }

    /** {@code commit} or {@code rollback}, as the API and the table spell an outcome. */
    public static String code(BranchOutcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }
}
