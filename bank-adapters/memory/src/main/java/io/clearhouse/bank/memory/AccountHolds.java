package io.clearhouse.bank.memory;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.Vote;
import java.util.List;

/**
 * The reservation step of a prepare: finds a branch's accounts and holds its amounts on them, all or nothing, under
 * the accounts' monitors taken in account-id order. A debit needs available funds; a credit needs room below
 * 2^63-1, counted against the posted balance, since a held debit may still be rolled back.
 */
final class AccountHolds {
    private static final Vote UNKNOWN_ACCOUNT = Vote.abort(Reason.UNKNOWN_ACCOUNT);
    private static final Vote INSUFFICIENT_FUNDS = Vote.abort(Reason.INSUFFICIENT_FUNDS);
    private static final Vote BALANCE_OVERFLOW = Vote.abort(Reason.BALANCE_OVERFLOW);
    private static final Vote SAME_ACCOUNT = Vote.abort(Reason.SAME_ACCOUNT);

    private final AccountTable accounts;

    AccountHolds(AccountTable accounts) {
        this.accounts = accounts;
    }

    /**
     * Holds {@code postings} for {@code branch} and attaches them to it, all or nothing; the vote says why not.
     * Touches no branch state and no log: the caller settles those.
     */
    Vote hold(Branch branch, List<Posting> postings) {
        int count = postings.size();
        if (count == 1) {
            return resolveAndHoldOne(branch, postings.get(0));
        }
        Account[] touched = new Account[count];
        long[] amounts = new long[count];
        for (int i = 0; i < count; i++) {
            Posting posting = postings.get(i);
            touched[i] = accounts.get(posting.account());
            if (touched[i] == null) {
                return UNKNOWN_ACCOUNT;
            }
            amounts[i] = posting.amount();
        }
        if (!AccountOrder.sort(touched, amounts)) {
            return SAME_ACCOUNT;
        }
        Vote vote = holdLocked(touched, amounts, 0);
        if (vote == Vote.COMMIT) {
            branch.attach(touched, amounts);
        }
        return vote;
    }

    /**
     * A branch on one account, which is every branch of a transfer between two banks. It shares the account's own
     * one-element array instead of making one, and makes nothing for a branch that aborts.
     */
    private Vote resolveAndHoldOne(Branch branch, Posting posting) {
        Account account = accounts.get(posting.account());
        if (account == null) {
            return UNKNOWN_ACCOUNT;
        }
        Vote vote = holdOne(account, posting.amount());
        if (vote == Vote.COMMIT) {
            branch.attach(account.alone(), new long[] {posting.amount()});
        }
        return vote;
    }

    private static Vote holdOne(Account account, long amount) {
        synchronized (account) {
            if (amount < 0 ? !account.canHold(amount) : !account.canReserve(amount)) {
                return amount < 0 ? INSUFFICIENT_FUNDS : BALANCE_OVERFLOW;
            }
            account.hold(amount);
            return Vote.COMMIT;
        }
    }

    /** Takes the monitors of {@code touched[from..]} in order (they are sorted by id), then holds all or nothing. */
    private static Vote holdLocked(Account[] touched, long[] amounts, int from) {
        if (from == touched.length) {
            return checkAndHoldAll(touched, amounts);
        }
        synchronized (touched[from]) {
            return holdLocked(touched, amounts, from + 1);
        }
    }

    /** Checks every posting first, debits before credits, so the reason is the one the batch contract ranks first. */
    private static Vote checkAndHoldAll(Account[] touched, long[] amounts) {
        for (int i = 0; i < touched.length; i++) {
            if (amounts[i] < 0 && !touched[i].canHold(amounts[i])) {
                return INSUFFICIENT_FUNDS;
            }
        }
        for (int i = 0; i < touched.length; i++) {
            if (amounts[i] > 0 && !touched[i].canReserve(amounts[i])) {
                return BALANCE_OVERFLOW;
            }
        }
        for (int i = 0; i < touched.length; i++) {
            touched[i].hold(amounts[i]);
        }
        return Vote.COMMIT;
    }
}
