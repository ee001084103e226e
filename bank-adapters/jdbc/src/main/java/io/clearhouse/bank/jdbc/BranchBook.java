package io.clearhouse.bank.jdbc;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bank's branches and balances as local transactions: hold (reserve), post and release, each for many branches in
 * one database transaction. Every step locks its xids first, then the accounts it touches in id order, and holds no
 * lock once it returns: this is all of escrow mode, and the ledger half of xa mode.
 */
final class BranchBook {
    private static final Vote TIMEOUT = Vote.abort(Reason.TIMEOUT);

    private final LocalTransactions transactions;
    private final LedgerTables tables;

    BranchBook(LocalTransactions transactions, LedgerTables tables) {
        this.transactions = transactions;
        this.tables = tables;
    }

    /**
     * Reserves the branches of a prepare message in one transaction: a branch seen before is answered by its state
     * (held again, COMMIT once committed, TIMEOUT once rolled back), a new one is held if it fits and refused with
     * nothing written if not.
     */
    List<Reserved> reserve(List<BranchPrepare> branches) {
        return transactions.inTransaction("prepare", connection -> reserve(connection, branches));
    }

    private List<Reserved> reserve(Connection connection, List<BranchPrepare> branches) throws SQLException {
        List<Xid> xids = branches.stream().map(BranchPrepare::xid).toList();
        tables.lockXids(connection, xids);
        Map<Xid, BranchState> known = tables.states(connection, xids);
        Map<Xid, List<Posting>> unseen = new LinkedHashMap<>();
        for (BranchPrepare branch : branches) {
            if (!known.containsKey(branch.xid())) {
                unseen.putIfAbsent(branch.xid(), branch.postings());
            }
        }
        Reservations reservations =
                new Reservations(tables.lockAccounts(connection, Reservations.accountsOf(unseen.values())));
        Map<Xid, Reserved> answers = new HashMap<>();
        Map<Xid, List<Posting>> held = new LinkedHashMap<>();
        for (Map.Entry<Xid, List<Posting>> branch : unseen.entrySet()) {
            Vote vote = reservations.reserve(branch.getValue());
            if (vote.equals(Vote.COMMIT)) {
                held.put(branch.getKey(), branch.getValue());
                answers.put(branch.getKey(), new Reserved.Held(branch.getKey(), true));
            } else {
                answers.put(branch.getKey(), new Reserved.Answered(vote));
            }
        }
        if (!held.isEmpty()) {
            tables.writeAccounts(connection, reservations.changed());
            tables.insertHeld(connection, held);
        }
        List<Reserved> result = new ArrayList<>(branches.size());
        for (Xid xid : xids) {
            BranchState state = known.get(xid);
            result.add(state == null ? answers.get(xid) : answerOf(xid, state));
        }
        return result;
    }

    private static Reserved answerOf(Xid xid, BranchState state) {
        return switch (state) {
            case HELD -> new Reserved.Held(xid, false);
            case COMMITTED, POSTED -> new Reserved.Answered(Vote.COMMIT);
            case ROLLED_BACK -> new Reserved.Answered(TIMEOUT);
        };
    }

    /**
     * Posts the branches of {@code xids} that are in state {@code from} (HELD in escrow mode; COMMITTED in xa mode,
     * where the database's commit of the prepared transaction decided it) in one transaction; others are left alone.
     */
    void post(List<Xid> xids, BranchState from) {
        transactions.inTransaction("commit", connection -> {
            finish(connection, xids, from, BranchState.POSTED);
            return null;
        });
    }

    /**
     * Releases the held branches of {@code xids}, and remembers those the bank never saw as rolled back, so that
     * their late prepares abort; committed branches are left alone.
     */
    void release(List<Xid> xids) {
        transactions.inTransaction("rollback", connection -> {
            Map<Xid, BranchState> known = finish(connection, xids, BranchState.HELD, BranchState.ROLLED_BACK);
            List<Xid> unseen = xids.stream()
                    .filter(xid -> !known.containsKey(xid))
                    .distinct()
                    .toList();
            if (!unseen.isEmpty()) {
                tables.insertRolledBack(connection, unseen);
            }
            return null;
        });
    }

    private Map<Xid, BranchState> finish(Connection connection, List<Xid> xids, BranchState from, BranchState to)
            throws SQLException {
        tables.lockXids(connection, xids);
        Map<Xid, BranchState> known = tables.states(connection, xids);
        List<Xid> moving = known.entrySet().stream()
                .filter(entry -> entry.getValue() == from)
                .map(Map.Entry::getKey)
                .toList();
        if (moving.isEmpty()) {
            return known;
        }
        Map<Xid, List<Posting>> postings = tables.postings(connection, moving);
        Reservations reservations =
                new Reservations(tables.lockAccounts(connection, Reservations.accountsOf(postings.values())));
        for (List<Posting> branch : postings.values()) {
            if (to == BranchState.POSTED) {
                reservations.post(branch);
            } else {
                reservations.release(branch);
            }
        }
        tables.writeAccounts(connection, reservations.changed());
        tables.finish(connection, moving, to);
        return known;
    }

    /** The states of those of {@code xids} the bank has a row for. */
    Map<Xid, BranchState> states(List<Xid> xids) {
        return transactions.read("reading branch states", connection -> tables.states(connection, xids));
    }

    /** The xids of the branches in {@code state}. */
    List<Xid> inState(BranchState state) {
        return transactions.read("listing " + state + " branches", connection -> tables.inState(connection, state));
    }

    /** Forgets at most {@code limit} branches finished longer ago than the retention. */
    int purgeFinished(long retentionSeconds, int limit) {
        return transactions.inTransaction(
                "forgetting finished branches",
                connection -> tables.purgeFinished(connection, retentionSeconds, limit));
    }

    Map<String, Long> postedBalances() {
        return transactions.read("reading balances", tables::postedBalances);
    }

    Optional<AccountBalance> account(String id) {
        return transactions.read("reading account " + id, connection -> tables.account(connection, id));
    }

    /** Inserts the opening balances into an empty account table; returns whether it did. */
    boolean openAccountsIfEmpty(Map<String, Long> openingBalances) {
        return transactions.inTransaction(
                "opening the accounts", connection -> tables.openAccountsIfEmpty(connection, openingBalances));
    }

    /** Forced writes so far: one per committed local transaction. */
    long commits() {
        return transactions.commits();
    }
}
