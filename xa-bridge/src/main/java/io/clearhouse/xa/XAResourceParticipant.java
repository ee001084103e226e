package io.clearhouse.xa;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;

/**
 * An XA resource manager driven as a Clearhouse bank, so that Clearhouse's coordinator can make it a participant of
 * its transfers.
 *
 * <p>A prepare is one XA branch, named by the Clearhouse xid in XA form ({@link ClearhouseXaXids}), run on a session
 * of its own: start, the {@link XaSession#apply work} that applies the postings through the session's connection,
 * end, and the resource manager's prepare. {@code XA_OK} is a COMMIT vote and {@code XA_RDONLY} READ_ONLY. A refusal
 * of the work, or an {@code XA_RB*} answer to the prepare, is a NO vote and leaves nothing behind; its reason is the
 * work's, the one a {@link BranchRefusedException} carries, {@code TIMEOUT} for {@code XA_RBTIMEOUT}, and {@code
 * BANK_UNAVAILABLE} for any other rollback code, since XA does not say why. Commit and rollback are the resource
 * manager's, by xid; one that no longer knows the xid ({@code XAER_NOTA}) has finished it, so the call is
 * acknowledged as the SPI wants. {@link #recover()} lists the resource manager's prepared branches of this bank's
 * format and id, and leaves those of other transaction managers and banks alone.
 *
 * <p>The SPI's other idempotency rules hold as far as the resource manager and the work make them hold: a repeated
 * prepare of a branch the resource manager still holds prepared is refused by its start ({@code XAER_DUPID}) and
 * answered COMMIT here, but a prepare repeated after the commit, or arriving after a rollback, is only harmless if
 * the work remembers the xid (the jdbc bank keeps a row per branch; a {@link ParticipantXAResource} asks its bank,
 * which remembers). Calls for one xid are serialised within this process ({@link XidStripes}).
 */
public final class XAResourceParticipant implements BankAdapter {
    private final String bankId;
    private final XaResourceManager resourceManager;
    private final XidStripes stripes = new XidStripes();

    public XAResourceParticipant(String bankId, XaResourceManager resourceManager) {
        this.bankId = bankId;
        this.resourceManager = resourceManager;
    }

    @Override
    public String bankId() {
        return bankId;
    }

    @Override
    public Set<String> accounts() {
        return resourceManager.accounts();
    }

    @Override
    public Vote prepare(Xid xid, List<Posting> postings) {
        return stripes.locked(xid, () -> prepareBranch(xid, postings));
    }

    private Vote prepareBranch(Xid xid, List<Posting> postings) {
        XaBranchId branch = xaForm(xid);
        try (XaSession session = openSession()) {
            XAResource resource = session.xaResource();
            try {
                resource.start(branch, XAResource.TMNOFLAGS);
            } catch (XAException e) {
                if (e.errorCode == XAException.XAER_DUPID && recover().contains(xid)) {
                    return Vote.COMMIT;
                }
                throw failure("starting branch " + xid, e);
            }
            Optional<Reason> refusal = work(session, branch, xid, postings);
            if (refusal.isPresent()) {
                return Vote.abort(refusal.get());
            }
            resource.end(branch, XAResource.TMSUCCESS);
            return resource.prepare(branch) == XAResource.XA_RDONLY ? Vote.READ_ONLY : Vote.COMMIT;
        } catch (XAException e) {
            return Vote.abort(refusedBranch(e).orElseThrow(() -> failure("preparing branch " + xid, e)));
        }
    }

    /** Runs the work inside the started branch; the branch of a refused or failed work is ended and rolled back. */
    private Optional<Reason> work(XaSession session, XaBranchId branch, Xid xid, List<Posting> postings) {
        Optional<Reason> refusal;
        try {
            refusal = session.apply(xid, postings);
        } catch (Exception e) {
            // A runtime exception is the work's own (a bug, or a BankException it chose), and keeps its kind.
            RuntimeException failure = e instanceof RuntimeException unchecked
                    ? unchecked
                    : failure("applying the postings of branch " + xid, e);
            try {
                abandon(session.xaResource(), branch, xid);
            } catch (BankException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        if (refusal.isPresent()) {
            abandon(session.xaResource(), branch, xid);
        }
        return refusal;
    }

    /** Ends a branch as failed and rolls it back; a resource manager that rolled it back already is fine too. */
    private void abandon(XAResource resource, XaBranchId branch, Xid xid) {
        try {
            resource.end(branch, XAResource.TMFAIL);
        } catch (XAException e) {
            if (refusedBranch(e).isEmpty()) {
                throw failure("ending refused branch " + xid, e);
            }
        }
        try {
            resource.rollback(branch);
        } catch (XAException e) {
            if (e.errorCode != XAException.XAER_NOTA && refusedBranch(e).isEmpty()) {
                throw failure("rolling back refused branch " + xid, e);
            }
        }
    }

    /** The NO vote an {@code XA_RB*} error means, or empty for any other error. */
    private static Optional<Reason> refusedBranch(XAException e) {
        if (e instanceof BranchRefusedException refused) {
            return Optional.of(refused.reason());
        }
        if (e.errorCode < XAException.XA_RBBASE || e.errorCode > XAException.XA_RBEND) {
            return Optional.empty();
        }
        return Optional.of(e.errorCode == XAException.XA_RBTIMEOUT ? Reason.TIMEOUT : Reason.BANK_UNAVAILABLE);
    }

    @Override
    public void commit(Xid xid) {
        stripes.locked(xid, () -> {
            commitBranch(xid);
            return null;
        });
    }

    private void commitBranch(Xid xid) {
        XaBranchId branch = xaForm(xid);
        try (XaSession session = openSession()) {
            session.xaResource().commit(branch, false);
        } catch (XAException e) {
            finishOrFail(e, XAException.XA_HEURCOM, "committing branch " + xid, branch);
        }
    }

    @Override
    public void rollback(Xid xid) {
        stripes.locked(xid, () -> {
            rollbackBranch(xid);
            return null;
        });
    }

    private void rollbackBranch(Xid xid) {
        XaBranchId branch = xaForm(xid);
        try (XaSession session = openSession()) {
            session.xaResource().rollback(branch);
        } catch (XAException e) {
            finishOrFail(e, XAException.XA_HEURRB, "rolling back branch " + xid, branch);
        }
    }

    /**
     * Acknowledges a branch the resource manager no longer knows, and one it already finished the same way on its own
     * (telling it to forget), and fails on anything else: the coordinator retries.
     */
    private void finishOrFail(XAException e, int sameHeuristic, String what, XaBranchId branch) {
        if (e.errorCode == XAException.XAER_NOTA) {
            return;
        }
        if (e.errorCode == sameHeuristic) {
            try (XaSession session = openSession()) {
                session.xaResource().forget(branch);
                return;
            } catch (XAException forgetFailure) {
                e.addSuppressed(forgetFailure);
            }
        }
        throw failure(what, e);
    }

    @Override
    public Set<Xid> recover() {
        try (XaSession session = openSession()) {
            javax.transaction.xa.Xid[] prepared =
                    session.xaResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
            if (prepared == null) {
                return Set.of();
            }
            return Arrays.stream(prepared)
                    .flatMap(xid -> ClearhouseXaXids.fromXa(xid, bankId).stream())
                    .collect(Collectors.toUnmodifiableSet());
        } catch (XAException e) {
            throw failure("listing the prepared branches", e);
        }
    }

    @Override
    public Optional<AccountBalance> account(String account) {
        return resourceManager.account(account);
    }

    @Override
    public Map<String, Long> postedBalances() {
        return resourceManager.postedBalances();
    }

    @Override
    public void close() {
        resourceManager.close();
    }

    private XaBranchId xaForm(Xid xid) {
        try {
            return ClearhouseXaXids.toXa(xid);
        } catch (IllegalArgumentException e) {
            throw new BankException(bankId, e.getMessage(), e);
        }
    }

    private XaSession openSession() {
        try {
            return resourceManager.openSession();
        } catch (Exception e) {
            throw failure("opening a session", e);
        }
    }

    private BankException failure(String what, Exception e) {
        String detail =
                e instanceof XAException xa ? "XA error " + xa.errorCode + ": " + xa.getMessage() : e.toString();
        return new BankException(bankId, what + " failed: " + detail, e);
    }

    @Override
    public String toString() {
        return "XAResourceParticipant[" + bankId + "]";
    }
}
