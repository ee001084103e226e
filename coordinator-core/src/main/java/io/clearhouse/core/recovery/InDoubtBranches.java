package io.clearhouse.core.recovery;

import io.clearhouse.core.log.GlobalIds;
import io.clearhouse.spi.Xid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The branches whose phase two the running engine gave up on after its retry limit, each with the decision it
 * awaits, until {@link InDoubtRecovery} resolves them. The engine adds a transaction's branches once that
 * transaction is over, all at once, so nothing else drives them any more and a pass never sees only some of them.
 * Thread-safe.
 */
public final class InDoubtBranches {
    private final ConcurrentHashMap<String, Transaction> byGlobalId = new ConcurrentHashMap<>();
    private final AtomicLong branches = new AtomicLong();
    private final Clock clock;

    /** Dates each transaction by the wall clock, so that operators see how long its branches have waited. */
    public InDoubtBranches() {
        this(Clock.systemUTC());
    }

    InDoubtBranches(Clock clock) {
        this.clock = clock;
    }

    /**
     * Remembers the abandoned branches of the transaction {@code globalId}, which is over.
     *
     * @param clientId the id its client gave it
     * @param commit whether its decision is commit (else the branches are to be rolled back)
     */
    public void remember(String globalId, String clientId, List<Xid> abandoned, boolean commit) {
        if (abandoned.isEmpty()) {
            throw new IllegalArgumentException("transaction " + globalId + " has no abandoned branch to remember");
        }
        Transaction earlier = byGlobalId.putIfAbsent(
                globalId, new Transaction(globalId, clientId, List.copyOf(abandoned), commit, clock.instant()));
        if (earlier != null) {
            throw new IllegalStateException("transaction " + globalId + " was over twice");
        }
        branches.addAndGet(abandoned.size());
    }

    /** How many branches wait for recovery. */
    public long count() {
        return branches.get();
    }

    /** The transactions with branches in doubt, oldest global id first. */
    public List<Transaction> transactions() {
        List<Transaction> transactions = new ArrayList<>(byGlobalId.values());
        transactions.sort(Comparator.comparing(Transaction::globalId, GlobalIds.ORDER));
        return transactions;
    }

    /**
     * The transaction whose client gave it {@code clientId} and that has a branch at bank {@code bankId} waiting, if
     * any. An id names one attempt among those in doubt: a client's id, once decided, is never run again here.
     */
    Optional<Transaction> waitingAt(String clientId, String bankId) {
        return byGlobalId.values().stream()
                .filter(transaction -> transaction.clientId().equals(clientId))
                .filter(transaction -> transaction.branches().contains(new Xid(transaction.globalId(), bankId)))
                .findFirst();
    }

    boolean contains(Xid xid) {
        Transaction transaction = byGlobalId.get(xid.transactionId());
        return transaction != null && transaction.branches().contains(xid);
    }

    /** What is left of {@code transaction} after a pass: {@code stillInDoubt}, a part of its branches. */
    void settle(Transaction transaction, List<Xid> stillInDoubt) {
        branches.addAndGet(stillInDoubt.size() - transaction.branches().size());
        if (stillInDoubt.isEmpty()) {
            byGlobalId.remove(transaction.globalId());
        } else {
            byGlobalId.put(
                    transaction.globalId(),
                    new Transaction(
                            transaction.globalId(),
                            transaction.clientId(),
                            List.copyOf(stillInDoubt),
                            transaction.commit(),
                            transaction.inDoubtSince()));
        }
    }

    /**
     * One transaction's branches in doubt and the decision they await.
     *
     * @param inDoubtSince when phase two gave up on them and handed them to recovery
     */
    public record Transaction(
            String globalId, String clientId, List<Xid> branches, boolean commit, Instant inDoubtSince) {
        /** How long the branches have waited for recovery at {@code now}. */
        public Duration age(Instant now) {
            return Duration.between(inDoubtSince, now);
        }
    }
}
