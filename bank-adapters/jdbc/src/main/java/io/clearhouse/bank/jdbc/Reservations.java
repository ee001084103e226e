package io.clearhouse.bank.jdbc;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.Vote;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hold, post and release over the accounts one database transaction has locked: the bank's rules, without SQL. A
 * debit holds its amount against the available balance (posted minus held); a credit reserves room against the
 * posted balance, since a held debit may still be rolled back. The branches of one message are applied one after
 * the other, so each sees the holds of those before it, as single prepares would.
 */
final class Reservations {
    private static final Vote SAME_ACCOUNT = Vote.abort(Reason.SAME_ACCOUNT);
    private static final Vote UNKNOWN_ACCOUNT = Vote.abort(Reason.UNKNOWN_ACCOUNT);
    private static final Vote INSUFFICIENT_FUNDS = Vote.abort(Reason.INSUFFICIENT_FUNDS);
    private static final Vote BALANCE_OVERFLOW = Vote.abort(Reason.BALANCE_OVERFLOW);

    private final Map<String, AccountRow> accounts;

    /** @param accounts the locked rows by id; an account missing here is one the bank does not hold */
    Reservations(Map<String, AccountRow> accounts) {
        this.accounts = accounts;
    }

    /**
     * Holds the debits and reserves the credits of {@code postings} if every one fits, and votes; an abort changes
     * nothing. Refusals in the order the memory bank gives them: a repeated account, an unknown account, a debit
     * above the available balance, then a credit that could overflow.
     */
    Vote reserve(List<Posting> postings) {
        if (postings.isEmpty()) {
            return Vote.READ_ONLY;
        }
        Set<String> seen = new HashSet<>();
        for (Posting posting : postings) {
            if (!seen.add(posting.account())) {
                return SAME_ACCOUNT;
            }
            if (!accounts.containsKey(posting.account())) {
                return UNKNOWN_ACCOUNT;
            }
        }
        for (Posting posting : postings) {
            if (posting.isDebit() && !canHold(posting)) {
                return INSUFFICIENT_FUNDS;
            }
        }
        for (Posting posting : postings) {
            if (!posting.isDebit() && !row(posting).canReserveCredit(posting.amount())) {
                return BALANCE_OVERFLOW;
            }
        }
        for (Posting posting : postings) {
            if (posting.isDebit()) {
                row(posting).hold(-posting.amount());
            } else {
                row(posting).reserveCredit(posting.amount());
            }
        }
        return Vote.COMMIT;
    }

    private boolean canHold(Posting debit) {
        // A debit of -2^63 has no positive amount that a balance could cover.
        return debit.amount() != Long.MIN_VALUE && row(debit).canHold(-debit.amount());
    }

    /** Posts the holds and credits of a branch that {@link #reserve} accepted. */
    void post(List<Posting> postings) {
        for (Posting posting : postings) {
            if (posting.isDebit()) {
                row(posting).postHold(-posting.amount());
            } else {
                row(posting).postCredit(posting.amount());
            }
        }
    }

    /** Releases the holds and credit reservations of a branch that {@link #reserve} accepted. */
    void release(List<Posting> postings) {
        for (Posting posting : postings) {
            if (posting.isDebit()) {
                row(posting).releaseHold(-posting.amount());
            } else {
                row(posting).releaseCredit(posting.amount());
            }
        }
    }

    /** The rows to write back. */
    List<AccountRow> changed() {
        return accounts.values().stream().filter(AccountRow::isChanged).toList();
    }

    /** Every account any of {@code postings} names, for the caller to lock before it builds this object. */
    static Set<String> accountsOf(Collection<List<Posting>> postings) {
        Set<String> accounts = new HashSet<>();
        for (List<Posting> branch : postings) {
            for (Posting posting : branch) {
                accounts.add(posting.account());
            }
        }
        return accounts;
    }

    private AccountRow row(Posting posting) {
        AccountRow row = accounts.get(posting.account());
        if (row == null) {
            throw new IllegalStateException("the branch's account " + posting.account() + " was not locked");
        }
        return row;
    }
}
