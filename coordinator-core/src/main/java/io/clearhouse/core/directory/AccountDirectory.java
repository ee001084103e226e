package io.clearhouse.core.directory;

import io.clearhouse.api.Posting;
import io.clearhouse.core.protocol.Branch;
import io.clearhouse.spi.AccountIndex;
import io.clearhouse.spi.BankAdapter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which bank holds which account, built once from the banks' own {@link BankAdapter#accounts()} lists, and the
 * split of a transaction's postings into one {@link Branch} per bank. Immutable, so it is read without locks.
 *
 * <p>Sized once for every account of every bank: an {@link AccountIndex} and the bank of each of its positions, about
 * 16 bytes per account beside the ids the banks hold already, so that a million accounts cost some 16 MB here.
 */
public final class AccountDirectory {
    private final AccountIndex accounts;
    /** The id of the bank holding the account at each position of {@link #accounts}; the banks' own id strings. */
    private final String[] bankByPosition;

    private AccountDirectory(AccountIndex accounts, String[] bankByPosition) {
        this.accounts = accounts;
        this.bankByPosition = bankByPosition;
    }

    /**
     * Builds the directory of {@code banksById}.
     *
     * @throws IllegalArgumentException if an account belongs to two banks, or a bank's id differs from its key
     */
    public static AccountDirectory of(Map<String, ? extends BankAdapter> banksById) {
        long total = 0;
        for (BankAdapter bank : banksById.values()) {
            total += bank.accounts().size();
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the banks hold " + total + " accounts, more than one directory can");
        }
        AccountIndex accounts = new AccountIndex((int) total);
        String[] bankByPosition = new String[(int) total];
        for (Map.Entry<String, ? extends BankAdapter> entry : banksById.entrySet()) {
            String bankId = entry.getKey();
            if (!bankId.equals(entry.getValue().bankId())) {
                throw new IllegalArgumentException("bank registered as " + bankId + " calls itself "
                        + entry.getValue().bankId());
            }
            for (String account : entry.getValue().accounts()) {
                if (!accounts.add(account)) {
                    throw new IllegalArgumentException("account " + account + " belongs to both bank "
                            + bankByPosition[accounts.indexOf(account)] + " and bank " + bankId);
                }
                bankByPosition[accounts.size() - 1] = bankId;
            }
        }
        return new AccountDirectory(accounts, bankByPosition);
    }

    /** The bank that holds {@code account}, or {@code null} if none does. */
    public String bankOf(String account) {
        int position = accounts.indexOf(account);
        return position < 0 ? null : bankByPosition[position];
    }

    /** How many accounts the directory knows. */
    public int size() {
        return accounts.size();
    }

    /**
     * Groups {@code postings} by bank, banks in order of first appearance and postings in their original order.
     *
     * @return the branches, or {@code null} when some account belongs to no bank
     */
    public List<Branch> route(List<Posting> postings) {
        if (postings.size() == 2) {
            return routePair(postings);
        }
        Map<String, List<Posting>> byBank = new LinkedHashMap<>();
        for (Posting posting : postings) {
            String bankId = bankOf(posting.account());
            if (bankId == null) {
                return null;
            }
            byBank.computeIfAbsent(bankId, id -> new ArrayList<>(2)).add(posting);
        }
        List<Branch> branches = new ArrayList<>(byBank.size());
        byBank.forEach((bankId, bankPostings) -> branches.add(new Branch(bankId, List.copyOf(bankPostings))));
        return branches;
    }

    private List<Branch> routePair(List<Posting> postings) {
        // A transfer is by far the common case; routing it without a map keeps the hot path lean.
        Posting first = postings.get(0);
        Posting second = postings.get(1);
        String firstBank = bankOf(first.account());
        String secondBank = bankOf(second.account());
        if (firstBank == null || secondBank == null) {
            return null;
        }
        if (firstBank.equals(secondBank)) {
            return List.of(new Branch(firstBank, postings));
        }
        return List.of(new Branch(firstBank, List.of(first)), new Branch(secondBank, List.of(second)));
    }
}
