package io.clearhouse.bank.jdbc;

import io.clearhouse.spi.BankException;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import io.clearhouse.xa.ClearhouseXaXids;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A jdbc bank in mode {@code xa}. A prepare reserves the holds as escrow mode does (a local transaction, so that the
 * holds of every prepared branch are visible to the next prepare and a hot account keeps serving), then runs the
 * branch's XA transaction, which moves its row to COMMITTED and ends in PREPARE TRANSACTION; only then does the bank
 * vote COMMIT. The database's COMMIT PREPARED is the commit, and the holds are posted right after it; ROLLBACK
 * PREPARED is the rollback, and the holds are released. {@link #recover()} lists the prepared transactions of this
 * bank in {@code pg_prepared_xacts}.
 *
 * <p>A crash can leave two things, both settled at open: a branch COMMITTED but not yet posted (posted), and a branch
 * HELD without a prepared transaction, whose reservation was made but which never voted (released). Calls for one
 * xid take its {@link XidLocks stripe} for the whole call, so such a leftover is never confused with a prepare still
 * running in this process.
 */
final class XaJdbcBank extends JdbcBank {
    private final XaBranches xa;
    private final ParallelXaCalls calls;
    private final XidLocks locks;

    XaJdbcBank(
            String bankId,
            JdbcBankSettings settings,
            BranchBook book,
            XaBranches xa,
            ParallelXaCalls calls,
            Set<String> accounts,
            AutoCloseable resources) {
        super(bankId, settings, book, accounts, resources);
        this.xa = xa;
        this.calls = calls;
        this.locks = new XidLocks(bankId, settings.connectionWaitMillis() + 2 * settings.statementTimeoutMillis());
    }

    /** Settles what a crash left: posts the branches the database committed, releases reservations never voted. */
    void settleLeftovers() {
        List<Xid> committed = book.inState(BranchState.COMMITTED);
        if (!committed.isEmpty()) {
            book.post(committed, BranchState.COMMITTED);
        }
        List<Xid> held = book.inState(BranchState.HELD);
        Set<Xid> prepared = xa.preparedAmong(held);
        List<Xid> neverVoted =
                held.stream().filter(xid -> !prepared.contains(xid)).toList();
        if (!neverVoted.isEmpty()) {
            book.release(neverVoted);
        }
    }

    @Override
    void checkXid(Xid xid) {
        super.checkXid(xid);
        if (!ClearhouseXaXids.fits(xid.transactionId()) || !ClearhouseXaXids.fits(xid.bankId())) {
            throw new BankException(
                    bankId,
                    "an xa bank takes transaction and bank ids of at most " + ClearhouseXaXids.PART_BYTES_MAX
                            + " bytes: " + xid);
        }
    }

    @Override
    List<Vote> prepareChunk(List<BranchPrepare> branches) {
        Map<Xid, BranchPrepare> distinct = new LinkedHashMap<>();
        branches.forEach(branch -> distinct.putIfAbsent(branch.xid(), branch));
        try (XidLocks.Held held = locks.lock(distinct.keySet())) {
            List<BranchPrepare> unique = new ArrayList<>(distinct.values());
            List<Reserved> reserved = book.reserve(unique);
            Set<Xid> alreadyPrepared = xa.preparedAmong(heldBefore(reserved));
            Map<Xid, Vote> votes = new HashMap<>();
            List<Xid> toPrepare = new ArrayList<>();
            for (int i = 0; i < unique.size(); i++) {
                if (reserved.get(i) instanceof Reserved.Answered answered) {
                    votes.put(unique.get(i).xid(), answered.vote());
                } else {
                    Xid xid = ((Reserved.Held) reserved.get(i)).xid();
                    votes.put(xid, Vote.COMMIT);
                    if (!alreadyPrepared.contains(xid)) {
                        toPrepare.add(xid);
                    }
                }
            }
            calls.forEach(toPrepare, this::prepareOrRelease);
            return branches.stream().map(branch -> votes.get(branch.xid())).toList();
        }
    }

    private static List<Xid> heldBefore(List<Reserved> reserved) {
        List<Xid> xids = new ArrayList<>();
        for (Reserved each : reserved) {
            if (each instanceof Reserved.Held held && !held.fresh()) {
                xids.add(held.xid());
            }
        }
        return xids;
    }

    /**
     * Prepares the held branch's XA transaction; when that fails, takes the reservation back as far as it can, so that
     * a branch that did not vote holds nothing, and fails the message.
     */
    private void prepareOrRelease(Xid xid) {
        try {
            xa.prepare(xid);
        } catch (BankException e) {
            try {
                if (!xa.preparedAmong(List.of(xid)).isEmpty()) {
                    xa.rollback(xid);
                }
                book.release(List.of(xid));
            } catch (BankException cleanup) {
                // The coordinator aborts the transaction and rolls the branch back, which finishes the cleanup.
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    @Override
    void commitChunk(List<Xid> xids) {
        try (XidLocks.Held held = locks.lock(xids)) {
            List<Xid> heldXids = heldAmong(xids);
            Set<Xid> prepared = xa.preparedAmong(heldXids);
            calls.forEach(List.copyOf(prepared), xa::commit);
            book.post(xids, BranchState.COMMITTED);
            // Held with no prepared transaction: its prepare never completed, so it never voted and cannot commit.
            List<Xid> neverVoted =
                    heldXids.stream().filter(xid -> !prepared.contains(xid)).toList();
            if (!neverVoted.isEmpty()) {
                book.release(neverVoted);
            }
        }
    }

    @Override
    void rollbackChunk(List<Xid> xids) {
        try (XidLocks.Held held = locks.lock(xids)) {
            calls.forEach(List.copyOf(xa.preparedAmong(heldAmong(xids))), xa::rollback);
            book.release(xids);
        }
    }

    private List<Xid> heldAmong(List<Xid> xids) {
        Map<Xid, BranchState> states = book.states(xids);
        return xids.stream()
                .distinct()
                .filter(xid -> states.get(xid) == BranchState.HELD)
                .toList();
    }

    @Override
    public Set<Xid> recover() {
        return xa.prepared();
    }

    @Override
    public long forcedWrites() {
        return super.forcedWrites() + xa.forcedWrites();
    }
}
