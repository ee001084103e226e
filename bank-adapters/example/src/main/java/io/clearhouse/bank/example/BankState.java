package io.clearhouse.bank.example;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.Xid;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the bank knows, and nothing else: the posted balance of each account, the postings of each prepared
 * branch, and the outcome of the branches finished lately. Holds and reserved credit room are not stored: they are
 * the sums over the prepared branches, recomputed here, so the file cannot disagree with itself about them.
 *
 * <p>Not thread-safe: the adapter changes a {@link #copy()} under its lock, makes the copy durable, and only then
 * puts it in place of this one, so a failed write leaves the bank as it was.
 */
final class BankState {
    /** How a finished branch ended, remembered so that late and repeated calls get the contract's answers. */
    enum Outcome {
        COMMITTED,
        ROLLED_BACK
    }

    private final String bankId;
    private final Map<String, Long> posted;
    private final Map<Xid, List<Posting>> prepared;
    /** In the order the branches finished, oldest first, so that the oldest is forgotten first. */
    private final LinkedHashMap<Xid, Outcome> finished;

    private final Map<String, Long> held = new HashMap<>();
    private final Map<String, Long> reservedCredits = new HashMap<>();

    BankState(
            String bankId,
            Map<String, Long> posted,
            Map<Xid, List<Posting>> prepared,
            LinkedHashMap<Xid, Outcome> finished) {
        this.bankId = bankId;
        this.posted = new LinkedHashMap<>(posted);
        this.prepared = new LinkedHashMap<>(prepared);
        this.finished = new LinkedHashMap<>(finished);
        this.prepared.values().forEach(this::reserve);
        checkInvariants();
    }

    /** A bank that has never run: its opening balances, nothing prepared, nothing finished. */
    static BankState opening(String bankId, Map<String, Long> initialBalances) {
        return new BankState(bankId, initialBalances, Map.of(), new LinkedHashMap<>());
    }

    BankState copy() {
        return new BankState(bankId, posted, prepared, finished);
    }

    String bankId() {
        return bankId;
    }

    Map<String, Long> posted() {
        return Collections.unmodifiableMap(posted);
    }

    Map<Xid, List<Posting>> prepared() {
        return Collections.unmodifiableMap(prepared);
    }

    Map<Xid, Outcome> finished() {
        return Collections.unmodifiableMap(finished);
    }

    Optional<Outcome> outcome(Xid xid) {
        return Optional.ofNullable(finished.get(xid));
    }

    boolean isPrepared(Xid xid) {
        return prepared.containsKey(xid);
    }

    Optional<AccountBalance> account(String account) {
        Long balance = posted.get(account);
        if (balance == null) {
            return Optional.empty();
        }
        return Optional.of(new AccountBalance(account, balance, held.getOrDefault(account, 0L)));
    }

    /**
     * Why these postings cannot be prepared now, if they cannot: an account of another bank first, then the first
     * posting that the available balance or the credit room does not cover.
     */
    Optional<Reason> refusal(List<Posting> postings) {
        for (Posting posting : postings) {
            if (!posted.containsKey(posting.account())) {
                return Optional.of(Reason.UNKNOWN_ACCOUNT);
            }
        }
        for (Posting posting : postings) {
            long balance = posted.get(posting.account());
            if (posting.isDebit()) {
                long available = balance - held.getOrDefault(posting.account(), 0L);
                if (available < -posting.amount()) {
                    return Optional.of(Reason.INSUFFICIENT_FUNDS);
                }
            } else {
                // Room against the posted balance, not the available one: a held debit may yet be rolled back.
                long room = Long.MAX_VALUE - balance - reservedCredits.getOrDefault(posting.account(), 0L);
                if (room < posting.amount()) {
                    return Optional.of(Reason.BALANCE_OVERFLOW);
                }
            }
        }
        return Optional.empty();
    }

    /** Holds the debits and reserves room for the credits of a branch that {@link #refusal} accepted. */
    void prepare(Xid xid, List<Posting> postings) {
        if (prepared.putIfAbsent(xid, List.copyOf(postings)) != null) {
            throw new IllegalStateException("branch " + xid + " is already prepared");
        }
        reserve(postings);
    }

    /** Posts a prepared branch and remembers that it committed. */
    void commit(Xid xid, int finishedMax) {
        List<Posting> postings = removePrepared(xid);
        for (Posting posting : postings) {
            posted.merge(posting.account(), posting.amount(), Long::sum);
        }
        finish(xid, Outcome.COMMITTED, finishedMax);
    }

    /** Releases a branch if it is prepared, and remembers that it rolled back, so that a late prepare is refused. */
    void rollback(Xid xid, int finishedMax) {
        if (prepared.containsKey(xid)) {
            removePrepared(xid);
        }
        finish(xid, Outcome.ROLLED_BACK, finishedMax);
    }

    private List<Posting> removePrepared(Xid xid) {
        List<Posting> postings = prepared.remove(xid);
        if (postings == null) {
            throw new IllegalStateException("branch " + xid + " is not prepared");
        }
        for (Posting posting : postings) {
            Map<String, Long> reserved = posting.isDebit() ? held : reservedCredits;
            reserved.merge(posting.account(), -Math.abs(posting.amount()), Long::sum);
        }
        return postings;
    }

    private void reserve(List<Posting> postings) {
        for (Posting posting : postings) {
            Map<String, Long> reserved = posting.isDebit() ? held : reservedCredits;
            reserved.merge(posting.account(), Math.abs(posting.amount()), Long::sum);
        }
    }

    private void finish(Xid xid, Outcome outcome, int finishedMax) {
        finished.put(xid, outcome);
        Iterator<Xid> oldest = finished.keySet().iterator();
        while (finished.size() > finishedMax) {
            oldest.next();
            oldest.remove();
        }
        checkInvariants();
    }

    /**
     * The rules no sequence of calls may break; checked whenever a state is built (from the file, too) and after
     * every branch finishes. A failure is a bug or a damaged file, never a business outcome.
     */
    private void checkInvariants() {
        for (Map.Entry<String, Long> account : posted.entrySet()) {
            long balance = account.getValue();
            long hold = held.getOrDefault(account.getKey(), 0L);
            long credits = reservedCredits.getOrDefault(account.getKey(), 0L);
            if (balance < 0 || hold < 0 || hold > balance || credits < 0 || credits > Long.MAX_VALUE - balance) {
                throw new IllegalStateException("bank " + bankId + ": account " + account.getKey() + " is broken:"
                        + " posted " + balance + ", held " + hold + ", credits reserved " + credits);
            }
        }
        for (Map.Entry<Xid, List<Posting>> branch : prepared.entrySet()) {
            if (finished.containsKey(branch.getKey())) {
                throw new IllegalStateException(
                        "bank " + bankId + ": branch " + branch.getKey() + " is both prepared" + " and finished");
            }
            for (Posting posting : branch.getValue()) {
                if (!posted.containsKey(posting.account())) {
                    throw new IllegalStateException("bank " + bankId + ": branch " + branch.getKey()
                            + " posts to unknown " + posting.account());
                }
            }
        }
    }
}
