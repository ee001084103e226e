package io.clearhouse.spi;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The plainest bank that follows the {@link BankAdapter} contract: one lock around maps. It exists so that the
 * conformance kit is checked in its own build against an adapter whose correctness can be seen at a glance; the
 * state it would write to disk lives in a {@link Storage} that outlives the instance, which stands in for a crash
 * that loses nothing durable.
 */
final class ReferenceBankAdapter implements BankAdapter {
    /** What a real bank keeps durably; a closed instance leaves it for the next one. */
    static final class Storage {
        private final Map<String, Long> posted = new LinkedHashMap<>();
        private final Map<String, Long> held = new HashMap<>();
        private final Map<String, Long> pendingCredits = new HashMap<>();
        private final Map<Xid, List<Posting>> prepared = new LinkedHashMap<>();
        private final Set<Xid> committed = new HashSet<>();
        private final Set<Xid> rolledBack = new HashSet<>();
    }

    private final String bankId;
    private final Storage storage;

    ReferenceBankAdapter(String bankId, Map<String, Long> initialBalances, Storage storage) {
        this.bankId = bankId;
        this.storage = storage;
        synchronized (storage) {
            if (storage.posted.isEmpty()) {
                storage.posted.putAll(initialBalances);
            }
        }
    }

    @Override
    public String bankId() {
        return bankId;
    }

    @Override
    public Set<String> accounts() {
        synchronized (storage) {
            return Set.copyOf(storage.posted.keySet());
        }
    }

    @Override
    public Vote prepare(Xid xid, List<Posting> postings) {
        synchronized (storage) {
            if (storage.prepared.containsKey(xid) || storage.committed.contains(xid)) {
                return Vote.COMMIT;
            }
            if (storage.rolledBack.contains(xid)) {
                return Vote.abort(Reason.TIMEOUT);
            }
            if (postings.isEmpty()) {
                return Vote.READ_ONLY;
            }
            Optional<Reason> refusal = refusal(postings);
            if (refusal.isPresent()) {
                return Vote.abort(refusal.get());
            }
            for (Posting posting : postings) {
                Map<String, Long> reserved = posting.isDebit() ? storage.held : storage.pendingCredits;
                reserved.merge(posting.account(), Math.abs(posting.amount()), Long::sum);
            }
            storage.prepared.put(xid, List.copyOf(postings));
            return Vote.COMMIT;
        }
    }

    private Optional<Reason> refusal(List<Posting> postings) {
        for (Posting posting : postings) {
            Long posted = storage.posted.get(posting.account());
            if (posted == null) {
                return Optional.of(Reason.UNKNOWN_ACCOUNT);
            }
            if (posting.isDebit()) {
                long available = posted - storage.held.getOrDefault(posting.account(), 0L);
                if (available < -posting.amount()) {
                    return Optional.of(Reason.INSUFFICIENT_FUNDS);
                }
            } else {
                long room = Long.MAX_VALUE - posted - storage.pendingCredits.getOrDefault(posting.account(), 0L);
                if (room < posting.amount()) {
                    return Optional.of(Reason.BALANCE_OVERFLOW);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void commit(Xid xid) {
        synchronized (storage) {
            List<Posting> postings = storage.prepared.remove(xid);
            if (postings == null) {
                return;
            }
            for (Posting posting : postings) {
                storage.posted.merge(posting.account(), posting.amount(), Long::sum);
                release(posting);
            }
            storage.committed.add(xid);
        }
    }

    @Override
    public void rollback(Xid xid) {
        synchronized (storage) {
            List<Posting> postings = storage.prepared.remove(xid);
            if (postings != null) {
                postings.forEach(this::release);
            }
            if (!storage.committed.contains(xid)) {
                storage.rolledBack.add(xid);
            }
        }
    }

    private void release(Posting posting) {
        Map<String, Long> reserved = posting.isDebit() ? storage.held : storage.pendingCredits;
        reserved.merge(posting.account(), -Math.abs(posting.amount()), Long::sum);
    }

    @Override
    public Set<Xid> recover() {
        synchronized (storage) {
            return Set.copyOf(storage.prepared.keySet());
        }
    }

    @Override
    public Optional<AccountBalance> account(String account) {
        synchronized (storage) {
            Long posted = storage.posted.get(account);
            if (posted == null) {
                return Optional.empty();
            }
            return Optional.of(new AccountBalance(account, posted, storage.held.getOrDefault(account, 0L)));
        }
    }

    @Override
    public Map<String, Long> postedBalances() {
        synchronized (storage) {
            return new LinkedHashMap<>(storage.posted);
        }
    }

    @Override
    public void close() {}
}
