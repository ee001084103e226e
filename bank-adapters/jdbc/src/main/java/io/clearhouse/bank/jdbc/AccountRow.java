package io.clearhouse.bank.jdbc;

/**
 * One account as a transaction read it under a row lock, changed in memory by {@link Reservations} and written back
 * when {@link #isChanged()}. Every change is checked against the invariants the table's constraints also hold, so a
 * broken rule fails here, with the account named, before it reaches the database.
 */
final class AccountRow {
    private final String id;
    private long posted;
    private long held;
    private long creditReserved;
    private boolean changed;

    AccountRow(String id, long posted, long held, long creditReserved) {
        this.id = id;
        this.posted = posted;
        this.held = held;
        this.creditReserved = creditReserved;
        check();
    }

    String id() {
        return id;
    }

    long posted() {
        return posted;
    }

    long held() {
        return held;
    }

    long creditReserved() {
        return creditReserved;
    }

    boolean isChanged() {
        return changed;
    }

    boolean canHold(long amount) {
        return amount <= posted - held;
    }

    boolean canReserveCredit(long amount) {
        return amount <= Long.MAX_VALUE - posted - creditReserved;
    }

    void hold(long amount) {
        held += amount;
        changed();
    }

    void reserveCredit(long amount) {
        creditReserved += amount;
        changed();
    }

    void postHold(long amount) {
        held -= amount;
        posted -= amount;
        changed();
    }

    void postCredit(long amount) {
        creditReserved -= amount;
        posted += amount;
        changed();
    }

    void releaseHold(long amount) {
        held -= amount;
        changed();
    }

    void releaseCredit(long amount) {
        creditReserved -= amount;
        changed();
    }

    private void changed() {
        changed = true;
        check();
    }

    private void check() {
        if (posted < 0 || held < 0 || held > posted || creditReserved < 0 || creditReserved > Long.MAX_VALUE - posted) {
            throw new IllegalStateException("account " + id + " would break the ledger's invariants: posted " + posted
                    + ", held " + held + ", credit reserved " + creditReserved);
        }
    }
}
