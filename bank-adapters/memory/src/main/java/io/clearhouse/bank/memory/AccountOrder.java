package io.clearhouse.bank.memory;

/** Sorts a branch's accounts by id, the order in which their monitors are taken, so that no deadlock can form. */
final class AccountOrder {
    private AccountOrder() {}

    /**
     * Sorts {@code accounts} by id and moves {@code amounts} along (an insertion sort: branches are small).
     *
     * @return false if an account appears twice
     */
    static boolean sort(Account[] accounts, long[] amounts) {
        for (int i = 1; i < accounts.length; i++) {
            Account account = accounts[i];
            long amount = amounts[i];
            int j = i - 1;
            while (j >= 0 && accounts[j].id.compareTo(account.id) > 0) {
                accounts[j + 1] = accounts[j];
                amounts[j + 1] = amounts[j];
                j--;
            }
            accounts[j + 1] = account;
            amounts[j + 1] = amount;
            if (j >= 0 && accounts[j] == account) {
                return false;
            }
        }
        return true;
    }
}
