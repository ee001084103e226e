package io.clearhouse.bank.memory;

import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.concurrent.CompletionStage;

/**
 * One prepared (or preparing) branch: the accounts it touches in account-id order and the signed amounts it holds
 * on them. Guarded by its own monitor, which the preparing thread keeps until the branch is held (and, in a durable
 * bank, its prepare record queued), so that a duplicate prepare, a commit or a rollback of the same xid waits for it
 * instead of racing it.
 */
final class Branch {
    final Xid xid;
    private Account[] accounts;
    private long[] amounts;
    private volatile BranchState state = BranchState.PREPARING;
    private CompletionStage<Vote> durableVote;

    Branch(Xid xid) {
        this.xid = xid;
    }

    /** A branch restored from the write-ahead log, holds already counted by the caller. */
    Branch(Xid xid, Account[] accounts, long[] amounts) {
        this.xid = xid;
        this.accounts = accounts;
        this.amounts = amounts;
        this.state = BranchState.PREPARED;
    }

    void attach(Account[] accounts, long[] amounts) {
        this.accounts = accounts;
        this.amounts = amounts;
    }

    Account[] accounts() {
        return accounts;
    }

    long[] amounts() {
        return amounts;
    }

    /** A durable bank's vote, complete once the prepare record is forced; null in memory or once restored. */
    CompletionStage<Vote> durableVote() {
        return durableVote;
    }

    void durableVote(CompletionStage<Vote> vote) {
        this.durableVote = vote;
    }

    BranchState state() {
        return state;
    }

    void moveTo(BranchState next) {
        boolean allowed =
                switch (next) {
                    case PREPARED -> state == BranchState.PREPARING;
                    // PREPARED to ABORTED: a durable bank whose prepare record could not be logged.
                    case ABORTED -> state == BranchState.PREPARING || state == BranchState.PREPARED;
                    case COMMITTED, ROLLED_BACK -> state == BranchState.PREPARED;
                    case PREPARING -> false;
                };
        if (!allowed) {
            throw new IllegalStateException("branch " + xid + " cannot go from " + state + " to " + next);
        }
        state = next;
    }

    /** Posts every hold; each account is changed under its own monitor, since a post cannot fail. */
    void postHolds() {
        for (int i = 0; i < accounts.length; i++) {
            Account account = accounts[i];
            synchronized (account) {
                account.post(amounts[i]);
            }
        }
    }

    /** Releases every hold. */
    void releaseHolds() {
        for (int i = 0; i < accounts.length; i++) {
            Account account = accounts[i];
            synchronized (account) {
                account.release(amounts[i]);
            }
        }
    }
}
