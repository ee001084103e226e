package io.clearhouse.xa;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;

/**
 * A Clearhouse bank as an XA resource manager, so that an XA transaction manager such as Narayana can make it a
 * participant of its transactions.
 *
 * <p>The application enlists the resource in its transaction, which starts a branch on the calling thread, and then
 * {@link #post posts} the transfer's postings at this bank to that branch. XA's prepare is the bank's prepare with
 * those postings: a COMMIT vote answers {@code XA_OK}, READ_ONLY {@code XA_RDONLY} (a branch with no postings), and a
 * NO vote a {@link BranchRefusedException} ({@code XA_RB*}), after which the bank holds nothing. Commit and rollback go
 * to the bank by xid; a one-phase commit is the bank's prepare and then its commit, since the SPI has no one-phase
 * call. An infrastructure failure of the bank is {@code XAER_RMFAIL}: the transaction manager retries later, as
 * Clearhouse's coordinator would.
 *
 * <p>Each branch is the bank's branch of the Clearhouse xid whose transaction id carries the XA xid ({@link
 * XaBranchId}), so that {@link #recover} can give the transaction manager back its own xids for the branches the
 * bank still holds prepared after a crash; a new resource over the reopened bank commits or rolls them back. The
 * bank's idempotency makes every duplicated call harmless, and it must acknowledge a commit only once it is durable
 * (the memory bank's {@code phase-two-durable}), since a transaction manager forgets a transaction when its commits
 * return.
 *
 * <p>Make one resource per open bank and enlist it in every transaction; it is thread-safe. Because the postings of a
 * branch are kept by the resource until the prepare, {@link #isSameRM} is true only for this resource: two resources
 * over one bank are two resource managers to the transaction manager, each with branches of its own at the bank.
 */
public final class ParticipantXAResource implements XAResource {
    private final BankAdapter bank;
    private final Map<XaBranchId, OpenBranch> openBranches = new ConcurrentHashMap<>();
    private final Map<Thread, XaBranchId> associations = new ConcurrentHashMap<>();

    public ParticipantXAResource(BankAdapter bank) {
        this.bank = bank;
    }

    /**
     * Adds postings on this bank's accounts to the branch that the calling thread has started on this resource (by
     * enlisting it) and not yet ended. The bank sees them at the prepare, and votes on them then.
     *
     * @throws IllegalStateException when the calling thread has no branch started on this resource
     */
    public void post(List<Posting> postings) {
        XaBranchId branchId = associations.get(Thread.currentThread());
        OpenBranch branch = branchId == null ? null : openBranches.get(branchId);
        if (branch == null) {
            throw new IllegalStateException("no XA branch of bank " + bank.bankId()
                    + " is started on this thread: enlist the resource in the transaction first");
        }
        branch.add(postings);
    }

    @Override
    public void start(javax.transaction.xa.Xid xid, int flags) throws XAException {
        XaBranchId branchId = branchId(xid);
        XaBranchId current = associations.get(Thread.currentThread());
        if (current != null && !current.equals(branchId)) {
            throw XaErrors.error(XAException.XAER_PROTO, "this thread is already in branch " + current);
        }
        if (flags == TMNOFLAGS) {
            if (openBranches.putIfAbsent(branchId, new OpenBranch()) != null) {
                throw XaErrors.error(XAException.XAER_DUPID, "branch " + branchId + " is already started");
            }
        } else if (flags == TMJOIN || flags == TMRESUME) {
            if (!openBranches.containsKey(branchId)) {
                throw XaErrors.error(XAException.XAER_NOTA, "no started branch " + branchId + " to join or resume");
            }
        } else {
            throw XaErrors.error(XAException.XAER_INVAL, "start takes TMNOFLAGS, TMJOIN or TMRESUME: " + flags);
        }
        associations.put(Thread.currentThread(), branchId);
    }

    @Override
    public void end(javax.transaction.xa.Xid xid, int flags) throws XAException {
        XaBranchId branchId = branchId(xid);
        if (flags != TMSUCCESS && flags != TMFAIL && flags != TMSUSPEND) {
            throw XaErrors.error(XAException.XAER_INVAL, "end takes TMSUCCESS, TMFAIL or TMSUSPEND: " + flags);
        }
        OpenBranch branch = openBranches.get(branchId);
        if (branch == null) {
            throw XaErrors.error(XAException.XAER_NOTA, "no started branch " + branchId);
        }
        // A transaction manager may end a branch from another thread than the one that started it (a timeout).
        disassociate(branchId);
        if (flags == TMFAIL) {
            branch.fail();
        }
    }

    @Override
    public int prepare(javax.transaction.xa.Xid xid) throws XAException {
        Vote vote = prepareAtBank(branchId(xid));
        if (vote instanceof Vote.Abort abort) {
            throw new BranchRefusedException(bank.bankId(), abort.reason());
        }
        return vote instanceof Vote.Commit ? XA_OK : XA_RDONLY;
    }

    /**
     * The bank's vote on the branch's postings. For a branch this resource no longer holds open (a duplicated prepare,
     * or one after a crash) the postings are gone: a branch the bank still holds prepared votes COMMIT again, and any
     * other is prepared with no postings, so that the bank answers as it remembers the xid (NO for one rolled back,
     * READ_ONLY otherwise: nothing is left to apply).
     */
    private Vote prepareAtBank(XaBranchId branchId) throws XAException {
        OpenBranch branch = close(branchId);
        Xid xid = branchId.atBank(bank.bankId());
        try {
            if (branch == null) {
                return bank.recover().contains(xid) ? Vote.COMMIT : bank.prepare(xid, List.of());
            }
            if (branch.failed()) {
                bank.rollback(xid);
                throw XaErrors.error(XAException.XA_RBROLLBACK, "branch " + branchId + " was ended as failed");
            }
            return bank.prepare(xid, branch.postings());
        } catch (BankException e) {
            throw XaErrors.error(XAException.XAER_RMFAIL, "preparing " + xid, e);
        }
    }

    @Override
    public void commit(javax.transaction.xa.Xid xid, boolean onePhase) throws XAException {
        XaBranchId branchId = branchId(xid);
        if (onePhase) {
            Vote vote = prepareAtBank(branchId);
            if (vote instanceof Vote.Abort abort) {
                throw new BranchRefusedException(bank.bankId(), abort.reason());
            }
            if (vote instanceof Vote.ReadOnly) {
                return;
            }
        } else if (openBranches.containsKey(branchId)) {
            throw XaErrors.error(XAException.XAER_PROTO, "branch " + branchId + " is committed before its prepare");
        }
        Xid bankXid = branchId.atBank(bank.bankId());
        try {
            bank.commit(bankXid);
        } catch (BankException e) {
            throw XaErrors.error(XAException.XAER_RMFAIL, "committing " + bankXid, e);
        }
    }

    /** Rolls the branch back at the bank, which also remembers it, so that a prepare arriving late votes NO. */
    @Override
    public void rollback(javax.transaction.xa.Xid xid) throws XAException {
        XaBranchId branchId = branchId(xid);
        close(branchId);
        Xid bankXid = branchId.atBank(bank.bankId());
        try {
            bank.rollback(bankXid);
        } catch (BankException e) {
            throw XaErrors.error(XAException.XAER_RMFAIL, "rolling back " + bankXid, e);
        }
    }

    /**
     * The xids of the branches the bank holds prepared, at the start of a scan; the other calls of the scan get none,
     * since the first answered with every one. Branches of the bank that are not of the bridge's encoding (those of
     * Clearhouse's own coordinator) are not listed.
     */
    @Override
    public javax.transaction.xa.Xid[] recover(int flags) throws XAException {
        if ((flags & ~(TMSTARTRSCAN | TMENDRSCAN)) != 0) {
            throw XaErrors.error(XAException.XAER_INVAL, "recover takes TMSTARTRSCAN and TMENDRSCAN only: " + flags);
        }
        if ((flags & TMSTARTRSCAN) == 0) {
            return new javax.transaction.xa.Xid[0];
        }
        try {
            return bank.recover().stream()
                    .filter(xid -> xid.bankId().equals(bank.bankId()))
                    .flatMap(xid -> XaBranchId.fromTransactionId(xid.transactionId()).stream())
                    .toArray(javax.transaction.xa.Xid[]::new);
        } catch (BankException e) {
            throw XaErrors.error(XAException.XAER_RMFAIL, "listing the prepared branches", e);
        }
    }

    /** Nothing to forget: a bank never finishes a branch on its own (no heuristic outcome). */
    @Override
    public void forget(javax.transaction.xa.Xid xid) throws XAException {
        branchId(xid);
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    /** No timeout of its own: a prepared branch waits for the transaction manager's decision, however long. */
    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }

    private OpenBranch close(XaBranchId branchId) {
        disassociate(branchId);
        return openBranches.remove(branchId);
    }

    private void disassociate(XaBranchId branchId) {
        associations.values().removeIf(branchId::equals);
    }

    private static XaBranchId branchId(javax.transaction.xa.Xid xid) throws XAException {
        if (!XaBranchId.isValid(xid)) {
            throw XaErrors.error(XAException.XAER_INVAL, "not a valid XA xid: " + xid);
        }
        return XaBranchId.of(xid);
    }

    @Override
    public String toString() {
        return "ParticipantXAResource[" + bank.bankId() + "]";
    }
}
