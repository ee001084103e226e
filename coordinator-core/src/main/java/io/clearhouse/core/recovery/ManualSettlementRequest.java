package io.clearhouse.core.recovery;

/**
 * What an operator asks of one branch in doubt.
 *
 * @param clientId the id the client gave the transaction
 * @param bankId the bank that holds the branch
 * @param forced whether {@code outcome} may contradict the decision log, as a heuristic decision
 */
public record ManualSettlementRequest(String clientId, String bankId, BranchOutcome outcome, boolean forced) {}
