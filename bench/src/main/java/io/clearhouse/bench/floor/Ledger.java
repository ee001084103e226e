package io.clearhouse.bench.floor;

import java.util.List;
import java.util.Map;

/**
 * Every account's balance in one array, found through one hash map from account id to its slot. Slots are numbered in
 * the state file's order, banks and accounts alike, so the final state is the array read from the start.
 */
final class Ledger {
    /** A bank of the state file and how many of the consecutive slots are its accounts. */
    record Bank(String id, int accounts) {}

    private final Map<String, Integer> slots;
    private final long[] balances;
    private final List<Bank> banks;
    private final String[] accountIds;

    Ledger(Map<String, Integer> slots, long[] balances, String[] accountIds, List<Bank> banks) {
        this.slots = slots;
        this.balances = balances;
        this.accountIds = accountIds;
        this.banks = banks;
    }

    /** Applies a transfer that passed the file's rules, or says which of the balance rules it breaks first. */
    Outcome transfer(String from, String to, long amount) {
        Integer source = slots.get(from);
        Integer destination = slots.get(to);
        if (source == null || destination == null) {
            return Outcome.UNKNOWN_ACCOUNT;
        }
        if (balances[source] < amount) {
            return Outcome.INSUFFICIENT_FUNDS;
        }
        if (balances[destination] > Long.MAX_VALUE - amount) {
            return Outcome.BALANCE_OVERFLOW;
        }
        balances[source] -= amount;
        balances[destination] += amount;
        return Outcome.COMMITTED;
    }

    List<Bank> banks() {
        return banks;
    }

    String accountId(int slot) {
        return accountIds[slot];
    }

    long balance(int slot) {
        return balances[slot];
    }
}
