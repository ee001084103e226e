package io.clearhouse.core.recovery;

import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Xid;
import java.util.List;
import java.util.Map;

/**
 * Sending an outcome to a branch the engine abandoned, and forgetting what was acknowledged: what a recovery pass
 * ({@link InDoubtRecovery}) and an operator's settlement ({@link ManualSettlement}) share, so that both count their
 * messages alike and both close a commit decision the same way once its last waiting branch is settled.
 */
final class AbandonedBranchDelivery {
    private final Map<String, ? extends BankAdapter> banks;
    private final DecisionLog log;
    private final InDoubtBranches abandoned;
    private final MessageCounter messages;

    AbandonedBranchDelivery(
            Map<String, ? extends BankAdapter> banks,
            DecisionLog log,
            InDoubtBranches abandoned,
            MessageCounter messages) {
        this.banks = banks;
        this.log = log;
        this.abandoned = abandoned;
        this.messages = messages;
    }

    /**
     * Sends commit or rollback to {@code xid} in one message.
     *
     * @throws BankException when the bank did not acknowledge it
     */
    void send(Xid xid, boolean commit) {
        BankAdapter bank = banks.get(xid.bankId());
        if (bank == null) {
            throw new IllegalStateException("no bank " + xid.bankId() + " for the abandoned branch " + xid);
        }
        messages.messageSent(1);
        if (commit) {
            bank.commit(xid);
        } else {
            bank.rollback(xid);
        }
    }

    /**
     * Keeps only {@code stillInDoubt} of {@code transaction}'s branches waiting. Once none waits for a commit, the
     * completion is written: the other participants acknowledged before the engine gave up on these, so the commit is
     * complete, and recovery at the next start must not send commit again to a branch an operator rolled back.
     */
    void settle(InDoubtBranches.Transaction transaction, List<Xid> stillInDoubt) {
        abandoned.settle(transaction, stillInDoubt);
        if (stillInDoubt.isEmpty() && transaction.commit()) {
            log.appendLazily(new DecisionRecord.Completion(transaction.globalId()));
        }
    }
}
