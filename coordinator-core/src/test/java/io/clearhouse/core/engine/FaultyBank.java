package io.clearhouse.core.engine;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.ForwardingBank;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real bank behind a switchboard of faults: prepares that fail or hang, commits that fail a number of times, a
 * vote of READ_ONLY for a bank with nothing to do. Everything it does not break goes to the real bank.
 */
final class FaultyBank extends ForwardingBank {
    private volatile boolean failPrepares;
    private volatile boolean readOnly;
    private volatile CountDownLatch prepareGate;
    private final CompletableFuture<Vote> heldPrepare = new CompletableFuture<>();
    private final AtomicInteger commitFailuresLeft = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger rollbackFailuresLeft = new AtomicInteger();
    private final CompletableFuture<Xid> firstRollback = new CompletableFuture<>();

    FaultyBank(BankAdapter real) {
        super(real);
    }

    /** Every prepare throws a {@link BankException}, as if the bank were unreachable. */
    FaultyBank failingPrepares() {
        failPrepares = true;
        return this;
    }

    /** Prepares wait until {@link #releasePrepares()}; {@link #heldPrepare()} tells what the first one voted. */
    FaultyBank holdingPrepares() {
        prepareGate = new CountDownLatch(1);
        return this;
    }

    /** Answers READ_ONLY without touching the real bank. */
    FaultyBank votingReadOnly() {
        readOnly = true;
        return this;
    }

    /** The next {@code count} commits throw a {@link BankException} before reaching the real bank. */
    FaultyBank failingCommits(int count) {
        commitFailuresLeft.set(count);
        return this;
    }

    /** The next {@code count} rollbacks throw a {@link BankException} before reaching the real bank. */
    FaultyBank failingRollbacks(int count) {
        rollbackFailuresLeft.set(count);
        return this;
    }

    void releasePrepares() {
        prepareGate.countDown();
    }

    CompletableFuture<Vote> heldPrepare() {
        return heldPrepare;
    }

    /** Completes once the bank has handled its first rollback. */
    CompletableFuture<Xid> firstRollback() {
        return firstRollback;
    }

    int commitCalls() {
        return commits.get();
    }

    @Override
    public Vote prepare(Xid xid, List<Posting> postings) {
        if (failPrepares) {
            throw new BankException(bankId(), "unreachable");
        }
        if (readOnly) {
            return Vote.READ_ONLY;
        }
        CountDownLatch gate = prepareGate;
        if (gate == null) {
            return real.prepare(xid, postings);
        }
        awaitGate(gate);
        Vote vote = real.prepare(xid, postings);
        heldPrepare.complete(vote);
        return vote;
    }

    private void awaitGate(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BankException(bankId(), "interrupted while held", e);
        }
    }

    @Override
    public void commit(Xid xid) {
        commits.incrementAndGet();
        if (commitFailuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new BankException(bankId(), "commit failed");
        }
        real.commit(xid);
    }

    @Override
    public void rollback(Xid xid) {
        if (rollbackFailuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new BankException(bankId(), "rollback failed");
        }
        real.rollback(xid);
        firstRollback.complete(xid);
    }

    @Override
    public boolean nonBlocking() {
        return prepareGate == null && real.nonBlocking();
    }
}
