package io.clearhouse.ejb;

import io.clearhouse.core.recovery.BranchOutcome;
import io.clearhouse.core.recovery.ManualSettlementRequest;

/**
 * An operator's request to settle one branch in doubt by hand, as the API read it.
 *
 * @param transactionId the client's id of the transaction
 * @param bankId the bank that holds the branch
 * @param force whether the outcome may contradict the decision log, as a heuristic decision
 * @param reason why, as the operator wrote it; null when none was given (only a forced request needs one)
 */
public record SettlementRequest(
        String transactionId, String bankId, BranchOutcome outcome, boolean force, String reason) {
    /** What the engine is asked; the reason is the audit trail's alone. */
    public ManualSettlementRequest settlement() {
        return new ManualSettlementRequest(transactionId, bankId, outcome, force);
    }
}
