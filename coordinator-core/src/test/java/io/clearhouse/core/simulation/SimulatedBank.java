package io.clearhouse.core.simulation;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A bank as pure logic for the simulation, with escrow holds and the durability of the memory bank made explicit:
 * a prepare is forced (it makes everything before it durable too), while commits and rollbacks are lazy, so a
 * crash undoes those not yet carried by a later prepare and the branch comes back prepared (or the tombstone is
 * forgotten). While down, every call fails. Single-threaded, like the simulation that drives it.
 */
final class SimulatedBank implements BankAdapter {
    enum Status {
        PREPARED,
        COMMITTED,
        ROLLED_BACK
    }

    private final String bankId;
    private final Map<String, Long> posted = new LinkedHashMap<>();
    private final Map<String, Long> heldDebits = new HashMap<>();
    private final Map<String, Long> heldCredits = new HashMap<>();
    private final Map<Xid, List<Posting>> branchPostings = new HashMap<>();
    private final Map<Xid, Status> statuses = new LinkedHashMap<>();
    private final Deque<Runnable> undoOfLazyWrites = new ArrayDeque<>();
    private final Set<Xid> forgottenInCrash = new LinkedHashSet<>();
    private final Set<Xid> refused = new LinkedHashSet<>();
    private final Set<Xid> preparedAfterRefusal = new LinkedHashSet<>();
    private boolean up = true;

    SimulatedBank(String bankId, Map<String, Long> balances) {
        this.bankId = bankId;
        posted.putAll(balances);
    }

    boolean isUp() {
        return up;
    }

    /** Loses what was written lazily since the last forced write, and refuses calls until {@link #restart()}. */
    void crash() {
        while (!undoOfLazyWrites.isEmpty()) {
            undoOfLazyWrites.pop().run();
        }
        up = false;
    }

    void restart() {
        up = true;
    }

    /**
     * Xids whose commit, rollback or tombstone a crash undid: only the coordinator's recovery can finish them, since
     * the coordinator already heard them acknowledged.
     */
    Set<Xid> forgottenInCrash() {
        return Collections.unmodifiableSet(forgottenInCrash);
    }

    /**
     * Xids this bank refused once and then, on a duplicated prepare, prepared after all: if that vote is lost, the
     * coordinator cannot know, and only recovery finds the branch.
     */
    Set<Xid> preparedAfterRefusal() {
        return Collections.unmodifiableSet(preparedAfterRefusal);
    }

    /** Every xid the bank ever saw and where it ended, for the checks after a run. */
    Map<Xid, Status> statuses() {
        return Collections.unmodifiableMap(statuses);
    }

    @Override
    public Vote prepare(Xid xid, List<Posting> postings) {
        ensureUp();
        Status status = statuses.get(xid);
        if (status == Status.ROLLED_BACK) {
            return Vote.abort(Reason.TIMEOUT);
        }
        if (status != null) {
            return Vote.COMMIT;
        }
        Vote refusal = check(postings);
        if (refusal != null) {
            refused.add(xid);
            return refusal;
        }
        if (refused.contains(xid)) {
            preparedAfterRefusal.add(xid);
        }
        for (Posting posting : postings) {
            adjust(posting.amount() < 0 ? heldDebits : heldCredits, posting.account(), Math.abs(posting.amount()));
        }
        branchPostings.put(xid, postings);
        statuses.put(xid, Status.PREPARED);
        // The forced prepare record carries every lazy record before it.
        undoOfLazyWrites.clear();
        return Vote.COMMIT;
    }

    private Vote check(List<Posting> postings) {
        for (Posting posting : postings) {
            Long balance = posted.get(posting.account());
            if (balance == null) {
                return Vote.abort(Reason.UNKNOWN_ACCOUNT);
            }
            long amount = Math.abs(posting.amount());
            if (posting.amount() < 0 && balance - held(heldDebits, posting.account()) < amount) {
                return Vote.abort(Reason.INSUFFICIENT_FUNDS);
            }
            if (posting.amount() > 0 && Long.MAX_VALUE - balance - held(heldCredits, posting.account()) < amount) {
                return Vote.abort(Reason.BALANCE_OVERFLOW);
            }
        }
        return null;
    }

    @Override
    public void commit(Xid xid) {
        ensureUp();
        if (statuses.get(xid) != Status.PREPARED) {
            return;
        }
        applyHolds(xid, true);
        statuses.put(xid, Status.COMMITTED);
        undoOfLazyWrites.push(() -> {
            revertHolds(xid, true);
            statuses.put(xid, Status.PREPARED);
            forgottenInCrash.add(xid);
        });
    }

    @Override
    public void rollback(Xid xid) {
        ensureUp();
        Status status = statuses.get(xid);
        if (status == null) {
            statuses.put(xid, Status.ROLLED_BACK);
            undoOfLazyWrites.push(() -> {
                statuses.remove(xid);
                forgottenInCrash.add(xid);
            });
        } else if (status == Status.PREPARED) {
            applyHolds(xid, false);
            statuses.put(xid, Status.ROLLED_BACK);
            undoOfLazyWrites.push(() -> {
                revertHolds(xid, false);
                statuses.put(xid, Status.PREPARED);
                forgottenInCrash.add(xid);
            });
        }
    }

    /** Removes the branch's holds and, on commit, posts its amounts. */
    private void applyHolds(Xid xid, boolean post) {
        for (Posting posting : branchPostings.get(xid)) {
            long amount = Math.abs(posting.amount());
            adjust(posting.amount() < 0 ? heldDebits : heldCredits, posting.account(), -amount);
            if (post) {
                adjust(posted, posting.account(), posting.amount());
            }
        }
    }

    private void revertHolds(Xid xid, boolean posted) {
        for (Posting posting : branchPostings.get(xid)) {
            long amount = Math.abs(posting.amount());
            adjust(posting.amount() < 0 ? heldDebits : heldCredits, posting.account(), amount);
            if (posted) {
                adjust(this.posted, posting.account(), -posting.amount());
            }
        }
    }

    private static void adjust(Map<String, Long> amounts, String account, long delta) {
        amounts.merge(account, delta, Long::sum);
    }

    private static long held(Map<String, Long> amounts, String account) {
        return amounts.getOrDefault(account, 0L);
    }

    @Override
    public Set<Xid> recover() {
        ensureUp();
        Set<Xid> prepared = new LinkedHashSet<>();
        statuses.forEach((xid, status) -> {
            if (status == Status.PREPARED) {
                prepared.add(xid);
            }
        });
        return prepared;
    }

    @Override
    public String bankId() {
        return bankId;
    }

    @Override
    public Set<String> accounts() {
        return Collections.unmodifiableSet(posted.keySet());
    }

    @Override
    public Optional<AccountBalance> account(String account) {
        Long balance = posted.get(account);
        return balance == null
                ? Optional.empty()
                : Optional.of(new AccountBalance(account, balance, held(heldDebits, account)));
    }

    /** Credits reserved by prepared branches and not yet posted. */
    long heldCredits(String account) {
        return held(heldCredits, account);
    }

    @Override
    public Map<String, Long> postedBalances() {
        return Collections.unmodifiableMap(posted);
    }

    List<String> accountList() {
        return new ArrayList<>(posted.keySet());
    }

    private void ensureUp() {
        if (!up) {
            throw new BankException(bankId, "down");
        }
    }

    @Override
    public void close() {}
}
