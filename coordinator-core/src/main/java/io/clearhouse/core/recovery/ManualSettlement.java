package io.clearhouse.core.recovery;

import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Xid;
import java.util.Map;
import java.util.Optional;

/**
 * An operator's settlement of one branch that phase two gave up on: the outcome goes to the bank as phase two or
 * recovery would send it (idempotent there), and once acknowledged the branch leaves {@link InDoubtBranches}, so
 * recovery stops retrying it. The decision log is never rewritten: a heuristic outcome stands beside the decision,
 * in the caller's audit trail, and the transaction's reported outcome stays the log's. When the last waiting branch
 * of a commit decision is settled, the completion record is appended as a recovery pass would, whatever the outcome
 * sent, so that recovery at the next start does not send commit again to a branch an operator rolled back.
 *
 * <p>Not thread-safe: the caller runs it under the same lock as the recovery passes, so that a pass and a
 * settlement never send one branch two outcomes.
 */
public final class ManualSettlement {
    private final InDoubtBranches abandoned;
    private final AbandonedBranchDelivery delivery;

    /**
     * @param abandoned the branches the engine gave up on, which a settlement resolves and forgets
     * @param messages counts every commit and rollback message sent
     */
    public ManualSettlement(
            Map<String, ? extends BankAdapter> banks,
            DecisionLog log,
            InDoubtBranches abandoned,
            MessageCounter messages) {
        this.abandoned = abandoned;
        this.delivery = new AbandonedBranchDelivery(banks, log, abandoned, messages);
    }

    /**
     * Sends the outcome {@code request} asks for to the branch it names, if that branch waits in doubt and the {@link
     * ManualSettlementRule} allows it.
     */
    public ManualSettlementResult settle(ManualSettlementRequest request) {
        Optional<InDoubtBranches.Transaction> waiting = abandoned.waitingAt(request.clientId(), request.bankId());
        if (waiting.isEmpty()) {
            return new ManualSettlementResult.NotInDoubt();
        }
        InDoubtBranches.Transaction transaction = waiting.get();
        BranchOutcome decided = BranchOutcome.ofDecision(transaction.commit());
        ManualSettlementRule.Verdict verdict = ManualSettlementRule.judge(decided, request);
        if (!verdict.sends()) {
            return new ManualSettlementResult.ContradictsDecision(decided);
        }
        Xid xid = new Xid(transaction.globalId(), request.bankId());
        try {
            delivery.send(xid, request.outcome() == BranchOutcome.COMMIT);
        } catch (BankException e) {
            return new ManualSettlementResult.BankFailed(e.getMessage());
        }
        delivery.settle(
                transaction,
                transaction.branches().stream()
                        .filter(other -> !other.equals(xid))
                        .toList());
        return new ManualSettlementResult.Settled(
                transaction.globalId(), decided, verdict == ManualSettlementRule.Verdict.HEURISTIC);
    }
}
