package io.clearhouse.bank.memory;

import io.clearhouse.spi.AccountBalances;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * A bank's accounts: the opening balances it was given, kept as they are, and an {@link Account} for each account
 * that a branch has touched, made on first touch. A batch of ten thousand transfers over a million accounts touches
 * about two percent of them, and an account nobody touched costs only its id, its opening balance and an empty
 * reference here, not the forty-odd bytes and the monitor of an {@code Account}.
 *
 * <p>Thread-safe: two threads that touch an untouched account at once agree on one {@code Account} (the first to
 * publish it wins), and an untouched account's posted balance is its opening balance, which never changes.
 */
final class AccountTable {
    private static final VarHandle TOUCHED = MethodHandles.arrayElementVarHandle(Account[].class);

    private final AccountBalances opening;
    /** The {@code Account} of each position of the opening balances' index, or null until a branch touches it. */
    private final Account[] touched;

    AccountTable(AccountBalances opening) {
        for (int position = 0; position < opening.size(); position++) {
            long balance = opening.balance(position);
            if (balance < 0) {
                throw new IllegalArgumentException(
                        "account " + opening.id(position) + " has a negative opening balance: " + balance);
            }
        }
        this.opening = opening;
        this.touched = new Account[opening.size()];
    }

    /** The account with this id, made if no branch has touched it yet; null if the bank has no such account. */
    Account get(String id) {
        int position = opening.positionOf(id);
        return position < 0 ? null : at(position);
    }

    private Account at(int position) {
        Account account = (Account) TOUCHED.getAcquire(touched, position);
        if (account != null) {
            return account;
        }
        Account made = new Account(opening.id(position), opening.balance(position));
        Account won = (Account) TOUCHED.compareAndExchangeRelease(touched, position, null, made);
        return won == null ? made : won;
    }

    /** Every account's posted balance at this instant, each read under its account's monitor, in opening order. */
    AccountBalances postedBalances() {
        long[] posted = new long[opening.size()];
        for (int position = 0; position < posted.length; position++) {
            Account account = (Account) TOUCHED.getAcquire(touched, position);
            if (account == null) {
                posted[position] = opening.balance(position);
            } else {
                synchronized (account) {
                    posted[position] = account.posted();
                }
            }
        }
        return opening.withBalances(posted);
    }

    /** Runs {@code action} on every account a branch has touched; the untouched hold their opening balances. */
    void forEachTouched(Consumer<Account> action) {
        for (int position = 0; position < touched.length; position++) {
            Account account = (Account) TOUCHED.getAcquire(touched, position);
            if (account != null) {
                action.accept(account);
            }
        }
    }
}
