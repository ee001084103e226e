package io.clearhouse.xa;

import io.clearhouse.api.Reason;
import javax.transaction.xa.XAException;

/**
 * A bank's NO vote as XA says it: an {@code XA_RB*} error whose code tells a transaction manager the branch was
 * rolled back, and which keeps the bank's reason for a caller that knows this class ({@link XAResourceParticipant}
 * turns it back into the same vote).
 */
public final class BranchRefusedException extends XAException {
    private final Reason reason;

    BranchRefusedException(String bankId, Reason reason) {
        super("bank " + bankId + " refused the branch: " + reason);
        this.reason = reason;
        this.errorCode = errorCodeOf(reason);
    }

    public Reason reason() {
        return reason;
    }

    /**
     * The XA rollback code closest to a reason: the bank's own refusals break the integrity of its ledger ({@code
     * XA_RBINTEGRITY}), a branch given up on is {@code XA_RBTIMEOUT}, anything else a plain {@code XA_RBROLLBACK}.
     */
    static int errorCodeOf(Reason reason) {
        return switch (reason) {
            case UNKNOWN_ACCOUNT, INSUFFICIENT_FUNDS, BALANCE_OVERFLOW -> XA_RBINTEGRITY;
            case TIMEOUT -> XA_RBTIMEOUT;
            default -> XA_RBROLLBACK;
        };
    }
}
