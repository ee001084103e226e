package io.clearhouse.bank.memory;

import io.clearhouse.spi.AccountBalance;

/**
 * One account's escrow state. Guarded by its own monitor: a thread that changes an account holds
 * {@code synchronized (account)}, and a thread that changes several takes them in account-id order.
 *
 * <p>Invariants: {@code 0 <= held <= posted} and {@code posted + incoming <= Long.MAX_VALUE}, where {@code held}
 * sums the prepared debits and {@code incoming} the prepared credits. Reserving credit room against the posted
 * balance (not the available one) is what lets a commit never overflow, whichever of the prepared branches commit.
 */
final class Account {
    final String id;
    /** This account as the whole account list of a branch on it alone; branches only read their account lists. */
    private final Account[] alone = {this};

    private long posted;
    private long held;
    private long incoming;

    Account(String id, long posted) {
        if (posted < 0) {
            throw new IllegalArgumentException("account " + id + " has a negative opening balance: " + posted);
        }
        this.id = id;
        this.posted = posted;
    }

    /** Whether a debit posting ({@code amount < 0}) can be held; written so that no value overflows. */
    boolean canHold(long amount) {
        return posted - held + amount >= 0;
    }

    /** Whether a credit posting ({@code amount > 0}) fits below {@code Long.MAX_VALUE} with all pending credits. */
    boolean canReserve(long amount) {
        return amount <= Long.MAX_VALUE - posted - incoming;
    }

    /** Holds a debit or reserves room for a credit. */
    void hold(long amount) {
        if (amount < 0) {
            held -= amount;
        } else {
            incoming += amount;
        }
    }

    /** Undoes {@link #hold}. */
    void release(long amount) {
        if (amount < 0) {
            held += amount;
        } else {
            incoming -= amount;
        }
        checkInvariants();
    }

    /** Posts a held debit or a reserved credit. */
    void post(long amount) {
        posted += amount;
        if (amount < 0) {
            held += amount;
        } else {
            incoming -= amount;
        }
        checkInvariants();
    }

    /** A one-element array holding this account, shared by every branch on this account alone; never written. */
    Account[] alone() {
        return alone;
    }

    long posted() {
        return posted;
    }

    AccountBalance balance() {
        return new AccountBalance(id, posted, held);
    }

    void checkInvariants() {
        if (held < 0 || held > posted || incoming < 0 || incoming > Long.MAX_VALUE - posted) {
            throw new IllegalStateException("account " + id + " broke its escrow invariants: posted " + posted
                    + ", held " + held + ", incoming " + incoming);
        }
    }
}
