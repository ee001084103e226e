package io.clearhouse.bank.memory;

import io.clearhouse.api.Completions;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.AccountBalances;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;

/**
 * A bank held in memory, following the {@link BankAdapter} contract with escrow holds, and optionally durable
 * through a {@link WriteAheadLog}.
 *
 * <p>Each account is guarded by its own monitor; a branch on several accounts takes them in account-id order, checks
 * every posting, and holds all or nothing. Live branches (preparing or prepared) are in a map keyed by xid, each
 * guarded by its own monitor, which the preparing thread keeps until its vote is settled; finished xids leave a marker
 * in {@link FinishedXids}, so that duplicated and reordered calls are answered without applying anything twice: a
 * rollback of an unknown xid leaves a {@code ROLLED_BACK} marker (a tombstone) that makes its late prepare abort with
 * {@code TIMEOUT}.
 *
 * <p>Durable banks force the prepare record through the journal's group commit before voting COMMIT ({@link
 * #prepareAsync} queues it and votes from the flusher); commit and
 * rollback records are appended lazily, but before the change they describe becomes visible, so any later record
 * that depends on it is behind it in the log. A lost commit record brings the branch back prepared; the coordinator
 * commits it again. With {@link MemoryBankOptions#phaseTwoDurable()} a commit or rollback is answered only once its
 * record is forced (a barrier through the same group commit, {@link WriteAheadLog#forceAppended()}), so nothing
 * acknowledged is lost; a repeated call that finds its branch finished waits for the same barrier, since the record of
 * the call that finished it may not be forced yet.
 *
 * <p>The message calls ({@link #prepareMany}, {@link #commitMany}, {@link #rollbackMany}) apply each branch as its
 * single call would and log the whole message in one record; {@link BranchMessageCalls} says how they keep the
 * locking discipline with the monitors of many branches held at once.
 */
public final class MemoryBankAdapter implements BankAdapter {
    private static final Vote TIMEOUT = Vote.abort(Reason.TIMEOUT);
    private static final CompletionStage<Vote> COMMIT_GIVEN = CompletableFuture.completedStage(Vote.COMMIT);
    private static final CompletionStage<Vote> READ_ONLY_GIVEN = CompletableFuture.completedStage(Vote.READ_ONLY);
    private static final CompletionStage<Vote> TIMEOUT_GIVEN = CompletableFuture.completedStage(TIMEOUT);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

    private final String bankId;
    private final AccountTable accounts;
    private final Set<String> accountIds;
    private final ConcurrentHashMap<Xid, Branch> branches = new ConcurrentHashMap<>();
    private final AccountHolds holds;
    private final FinishedXids finishedXids;
    private final WriteAheadLog writeAheadLog;
    private final BranchMessageCalls messageCalls;
    private final boolean phaseTwoDurable;
    private volatile boolean closed;

    private MemoryBankAdapter(
            String bankId, Map<String, Long> balances, WriteAheadLog writeAheadLog, MemoryBankOptions options) {
        this.bankId = bankId;
        AccountBalances opening = AccountBalances.copyOf(balances);
        this.accounts = new AccountTable(opening);
        this.accountIds = opening.keySet();
        this.holds = new AccountHolds(accounts);
        this.finishedXids = new FinishedXids(options.finishedXidsMax(), options.finishedXidsRetentionMillis());
        this.writeAheadLog = writeAheadLog;
        this.messageCalls = writeAheadLog == null ? null : new BranchMessageCalls(this);
        this.phaseTwoDurable = writeAheadLog != null && options.phaseTwoDurable();
    }

    /** A bank held purely in memory: no log, nothing survives {@link #close}; {@link #nonBlocking()} is true. */
    public static MemoryBankAdapter inMemory(String bankId, Map<String, Long> balances) {
        return open(bankId, balances, MemoryBankOptions.inMemory());
    }

    /**
     * A bank with a write-ahead log in {@code directory}: on first open it logs {@code balances}; later opens ignore
     * them and restore balances and prepared branches from the log.
     */
    public static MemoryBankAdapter durable(String bankId, Map<String, Long> balances, Path directory, boolean fsync) {
        return open(bankId, balances, MemoryBankOptions.durable(directory, fsync));
    }

    /** Opens a bank as {@code options} say. */
    public static MemoryBankAdapter open(String bankId, Map<String, Long> balances, MemoryBankOptions options) {
        if (options.directory().isEmpty()) {
            return new MemoryBankAdapter(bankId, balances, null, options);
        }
        WriteAheadLog log = WriteAheadLog.open(bankId, options.directory().get(), options);
        try {
            return WalRestore.restore(bankId, balances, log, options);
        } catch (RuntimeException e) {
            try {
                log.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /** Creates the bank's in-memory state for {@link WalRestore}, which then replays the log into it. */
    static MemoryBankAdapter withLog(
            String bankId, Map<String, Long> balances, WriteAheadLog writeAheadLog, MemoryBankOptions options) {
        return new MemoryBankAdapter(bankId, balances, writeAheadLog, options);
    }

    @Override
    public String bankId() {
        return bankId;
    }

    @Override
    public Set<String> accounts() {
        return accountIds;
    }

    @Override
    public Vote prepare(Xid xid, List<Posting> postings) {
        ensureOpen();
        if (postings.isEmpty()) {
            return Vote.READ_ONLY;
        }
        if (writeAheadLog != null) {
            return awaitVote(prepareDurably(xid, postings));
        }
        return prepareInMemory(xid, postings);
    }

    /** Reserves at once; a durable bank's stage completes on the log's flusher once the prepare record is forced. */
    @Override
    public CompletionStage<Vote> prepareAsync(Xid xid, List<Posting> postings) {
        ensureOpen();
        if (postings.isEmpty()) {
            return READ_ONLY_GIVEN;
        }
        if (writeAheadLog != null) {
            return prepareDurably(xid, postings);
        }
        return CompletableFuture.completedStage(prepareInMemory(xid, postings));
    }

    @Override
    public boolean preparesAsynchronously() {
        return writeAheadLog != null;
    }

    /** A durable bank's journal shares its forced writes among the prepares that queue while it forces. */
    @Override
    public boolean gathersBranchesItself() {
        return writeAheadLog != null;
    }

    private Vote awaitVote(CompletionStage<Vote> vote) {
        try {
            return vote.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof BankException bankFailure
                    ? bankFailure
                    : new BankException(bankId, "prepare failed: " + e.getCause(), e.getCause());
        }
    }

    private Vote prepareInMemory(Xid xid, List<Posting> postings) {
        while (true) {
            Branch branch = new Branch(xid);
            synchronized (branch) {
                Branch existing = branches.putIfAbsent(xid, branch);
                if (existing == null) {
                    return prepareNewInMemory(branch, postings);
                }
                Vote vote = voteAlreadyGiven(existing);
                if (vote != null) {
                    return vote;
                }
            }
        }
    }

    private static Vote voteOfFinished(BranchState finished) {
        return finished == BranchState.COMMITTED ? Vote.COMMIT : TIMEOUT;
    }

    /** The vote of a branch already in the map, or null if it aborted and the prepare must start over. */
    private static Vote voteAlreadyGiven(Branch other) {
        synchronized (other) {
            return switch (other.state()) {
                case PREPARED, COMMITTED -> Vote.COMMIT;
                case ROLLED_BACK -> TIMEOUT;
                case ABORTED -> null;
                case PREPARING -> throw new IllegalStateException("branch " + other.xid + " preparing unguarded");
            };
        }
    }

    /**
     * Holds the postings of a new branch; the caller holds the branch's monitor and has just put the branch in the
     * map. The finished markers are looked at only now: a commit or rollback records its marker before it removes its
     * branch from the map, so a prepare whose branch got into the map after such a call sees the marker.
     */
    private Vote prepareNewInMemory(Branch branch, List<Posting> postings) {
        Vote vote = reserve(branch, postings);
        if (branch.state() == BranchState.PREPARING) {
            branch.moveTo(BranchState.PREPARED);
        }
        return vote;
    }

    /**
     * Holds the postings of a new branch, or abandons it (it is then ABORTED) with the vote a late prepare of a
     * finished xid gets, or the refusal. A branch still PREPARING afterwards is held, and its caller moves it on; the
     * caller holds the branch's monitor, and in a durable bank the log's change lock.
     */
    Vote reserve(Branch branch, List<Posting> postings) {
        BranchState finished = finishedXids.get(branch.xid);
        if (finished != null) {
            abandon(branch);
            return voteOfFinished(finished);
        }
        Vote vote = holds.hold(branch, postings);
        if (vote != Vote.COMMIT) {
            abandon(branch);
        }
        return vote;
    }

    private CompletionStage<Vote> prepareDurably(Xid xid, List<Posting> postings) {
        CompletionStage<Vote> vote = prepareOnceDurably(xid, postings);
        compactIfGrown();
        return vote;
    }

    /**
     * As {@link #prepareInMemory}, but the vote is a stage: a branch is PREPARED in memory as soon as its prepare
     * record is queued in the log, and its vote completes when the record is forced. A repeated prepare gets the
     * same stage, so it too answers only once the reservation is durable; it waits for nothing under a monitor,
     * since the flusher that completes the stage may need the branch's.
     */
    private CompletionStage<Vote> prepareOnceDurably(Xid xid, List<Posting> postings) {
        while (true) {
            Branch branch = new Branch(xid);
            synchronized (branch) {
                Branch existing = branches.putIfAbsent(xid, branch);
                if (existing == null) {
                    return prepareNewDurably(branch, postings);
                }
                CompletionStage<Vote> vote = voteStageAlreadyGiven(existing);
                if (vote != null) {
                    return vote;
                }
            }
        }
    }

    static CompletionStage<Vote> voteStageAlreadyGiven(Branch other) {
        synchronized (other) {
            if (other.state() == BranchState.PREPARED && other.durableVote() != null) {
                return other.durableVote();
            }
            Vote vote = voteAlreadyGiven(other);
            return vote == null ? null : given(vote);
        }
    }

    /**
     * Holds the postings of a new branch and queues its prepare record under the log's change lock, so that a
     * compaction sees the branch PREPARED with its record, or not at all; the caller holds the branch's monitor.
     */
    private CompletionStage<Vote> prepareNewDurably(Branch branch, List<Posting> postings) {
        Lock changing = writeAheadLog.changeLock();
        changing.lock();
        try {
            Vote vote = reserve(branch, postings);
            if (branch.state() != BranchState.PREPARING) {
                return given(vote);
            }
            CompletableFuture<Void> logged;
            try {
                logged = writeAheadLog.logPrepare(branch.xid, branch.accounts(), branch.amounts());
            } catch (RuntimeException e) {
                branch.releaseHolds();
                abandon(branch);
                throw e;
            }
            branch.moveTo(BranchState.PREPARED);
            CompletionStage<Vote> durableVote =
                    logged.handle((ignored, failure) -> failure == null ? Vote.COMMIT : notLogged(branch, failure));
            branch.durableVote(durableVote);
            return durableVote;
        } finally {
            changing.unlock();
        }
    }

    /** A prepare record that never became durable: the reservation is released, and the prepare fails. */
    Vote notLogged(Branch branch, Throwable failure) {
        Throwable cause = Completions.cause(failure);
        synchronized (branch) {
            if (branch.state() == BranchState.PREPARED) {
                branch.releaseHolds();
                branches.remove(branch.xid, branch);
                branch.moveTo(BranchState.ABORTED);
            }
        }
        throw writeAheadLog.failed(cause);
    }

    static CompletionStage<Vote> given(Vote vote) {
        if (vote == Vote.COMMIT) {
            return COMMIT_GIVEN;
        }
        return vote == TIMEOUT ? TIMEOUT_GIVEN : CompletableFuture.completedStage(vote);
    }

    void abandon(Branch branch) {
        branches.remove(branch.xid, branch);
        branch.moveTo(BranchState.ABORTED);
    }

    /**
     * Each branch as {@link #prepareAsync} would, in one message: a durable bank holds every branch that it can and
     * queues one record for those that did, and their votes complete together when that record is forced; the
     * others vote at once. A failure to log fails the whole message and releases what it held.
     */
    @Override
    public CompletionStage<List<Vote>> prepareMany(List<BranchPrepare> requests) {
        try {
            ensureOpen();
            if (writeAheadLog == null) {
                List<Vote> votes = new ArrayList<>(requests.size());
                for (BranchPrepare request : requests) {
                    votes.add(prepare(request.xid(), request.postings()));
                }
                return CompletableFuture.completedStage(votes);
            }
            CompletionStage<List<Vote>> votes = messageCalls.prepareMany(requests);
            compactIfGrown();
            return votes;
        } catch (BankException e) {
            return CompletableFuture.failedStage(e);
        }
    }

    /** Each branch as {@link #commit} would; a durable bank logs the message's commits in one lazy record. */
    @Override
    public CompletionStage<Void> commitMany(List<Xid> xids) {
        try {
            ensureOpen();
            if (writeAheadLog == null) {
                xids.forEach(this::commit);
            } else {
                messageCalls.commitMany(xids);
                compactIfGrown();
            }
            return phaseTwoDone();
        } catch (BankException e) {
            return CompletableFuture.failedStage(e);
        }
    }

    /**
     * Each branch as {@link #rollback} would; a durable bank logs the message's rollbacks and tombstones in one lazy
     * record (and a second only for a prepare that raced in before its tombstone).
     */
    @Override
    public CompletionStage<Void> rollbackMany(List<Xid> xids) {
        try {
            ensureOpen();
            if (writeAheadLog == null) {
                xids.forEach(this::rollback);
            } else {
                messageCalls.rollbackMany(xids);
                compactIfGrown();
            }
            return phaseTwoDone();
        } catch (BankException e) {
            return CompletableFuture.failedStage(e);
        }
    }

    @Override
    public void commit(Xid xid) {
        ensureOpen();
        Branch branch = branches.get(xid);
        if (branch == null) {
            awaitPhaseTwoDurable();
            return;
        }
        synchronized (branch) {
            if (branch.state() == BranchState.PREPARED) {
                // Without a log there is no change lock, and the lambda would be garbage for every branch.
                if (writeAheadLog == null) {
                    commitPrepared(branch);
                } else {
                    whileChanging(() -> commitPrepared(branch));
                }
            }
        }
        compactIfGrown();
        awaitPhaseTwoDurable();
    }

    private void commitPrepared(Branch branch) {
        if (writeAheadLog != null) {
            writeAheadLog.logCommit(branch.xid);
        }
        branch.postHolds();
        finish(branch, BranchState.COMMITTED);
    }

    /**
     * Releases a prepared branch, or leaves a tombstone for an xid the bank holds nothing of. The branch map is
     * looked at again after the tombstone is recorded: a prepare racing this call either sees the tombstone when it
     * looks at the markers again, or has its branch in the map by then for this call to roll back. A live branch is
     * rolled back whatever markers say, since a log that lost its last rollback record can restore both.
     */
    @Override
    public void rollback(Xid xid) {
        ensureOpen();
        Branch branch = branches.get(xid);
        if (branch == null) {
            if (finishedXids.get(xid) != null) {
                awaitPhaseTwoDurable();
                return;
            }
            whileChanging(() -> rememberRollback(xid));
            branch = branches.get(xid);
        }
        if (branch != null) {
            Branch live = branch;
            synchronized (live) {
                if (live.state() == BranchState.PREPARED) {
                    if (writeAheadLog == null) {
                        rollbackPrepared(live);
                    } else {
                        whileChanging(() -> rollbackPrepared(live));
                    }
                }
            }
        }
        compactIfGrown();
        awaitPhaseTwoDurable();
    }

    /** A commit or rollback message's stage: done at once, or once its record is forced if phase two is durable. */
    private CompletionStage<Void> phaseTwoDone() {
        return phaseTwoDurable ? writeAheadLog.forceAppended() : DONE;
    }

    /** For the single calls: returns once their record (or the record of the call that got there first) is forced. */
    private void awaitPhaseTwoDurable() {
        if (!phaseTwoDurable) {
            return;
        }
        BankException.await(writeAheadLog.forceAppended());
    }

    /** Runs a change and the append that logs it under the log's change lock, so no snapshot falls between them. */
    private void whileChanging(Runnable change) {
        if (writeAheadLog == null) {
            change.run();
            return;
        }
        Lock changing = writeAheadLog.changeLock();
        changing.lock();
        try {
            change.run();
        } finally {
            changing.unlock();
        }
    }

    private void compactIfGrown() {
        if (writeAheadLog != null) {
            writeAheadLog.compactIfGrown();
        }
    }

    private void rememberRollback(Xid xid) {
        if (writeAheadLog != null) {
            writeAheadLog.logRollback(xid);
        }
        finishedXids.put(xid, BranchState.ROLLED_BACK);
    }

    private void rollbackPrepared(Branch branch) {
        if (writeAheadLog != null) {
            writeAheadLog.logRollback(branch.xid);
        }
        branch.releaseHolds();
        finish(branch, BranchState.ROLLED_BACK);
    }

    /** Records the marker before the branch leaves the map, so that the xid is always in one or the other. */
    void finish(Branch branch, BranchState finalState) {
        branch.moveTo(finalState);
        finishedXids.put(branch.xid, finalState);
        branches.remove(branch.xid, branch);
    }

    @Override
    public Set<Xid> recover() {
        ensureOpen();
        Set<Xid> prepared = new java.util.HashSet<>();
        for (Branch branch : branches.values()) {
            if (branch.state() == BranchState.PREPARED) {
                prepared.add(branch.xid);
            }
        }
        return prepared;
    }

    @Override
    public Optional<AccountBalance> account(String account) {
        Account found = accounts.get(account);
        if (found == null) {
            return Optional.empty();
        }
        synchronized (found) {
            return Optional.of(found.balance());
        }
    }

    @Override
    public Map<String, Long> postedBalances() {
        return accounts.postedBalances();
    }

    @Override
    public boolean nonBlocking() {
        return writeAheadLog == null;
    }

    @Override
    public long forcedWrites() {
        return writeAheadLog == null ? 0 : writeAheadLog.forcedWrites();
    }

    @Override
    public void close() {
        closed = true;
        if (writeAheadLog != null) {
            writeAheadLog.close();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new BankException(bankId, "closed");
        }
    }

    AccountTable accountTable() {
        return accounts;
    }

    Map<Xid, Branch> branchMap() {
        return branches;
    }

    FinishedXids finishedXids() {
        return finishedXids;
    }

    WriteAheadLog writeAheadLog() {
        return writeAheadLog;
    }
}
