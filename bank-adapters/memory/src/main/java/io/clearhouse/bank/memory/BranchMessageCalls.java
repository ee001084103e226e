package io.clearhouse.bank.memory;

import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.Lock;

/**
 * The message calls of a durable {@link MemoryBankAdapter}: a message of many branches is applied as its single
 * calls would be, and logged in one record. Each branch keeps the discipline of its single call: its monitor is held
 * from the moment it enters the branch map (or is found there) until its change is logged, and the log's change lock
 * is held across the changes and the append. A message therefore holds the monitors of all its branches at once; it
 * takes them in xid order, and every other call holds at most one branch monitor while it waits for another, so no
 * two calls can wait on each other.
 *
 * <p>The monitors are taken by recursion, one frame per branch, so a message of more than {@value
 * #BRANCHES_PER_RECORD_MAX} branches is applied in parts of that many, each with its own record.
 */
final class BranchMessageCalls {
    static final int BRANCHES_PER_RECORD_MAX = 1024;
    private static final Comparator<Xid> XID_ORDER =
            Comparator.comparing(Xid::transactionId).thenComparing(Xid::bankId);

    private final MemoryBankAdapter bank;
    private final Map<Xid, Branch> branches;
    private final WriteAheadLog log;

    BranchMessageCalls(MemoryBankAdapter bank) {
        this.bank = bank;
        this.branches = bank.branchMap();
        this.log = bank.writeAheadLog();
    }

    /** Prepares {@code requests} with one forced record for those that reserved; the votes follow their order. */
    CompletionStage<List<Vote>> prepareMany(List<BranchPrepare> requests) {
        requireDistinct(requests.stream().map(BranchPrepare::xid).toList());
        List<CompletableFuture<Vote>> votes = new ArrayList<>(requests.size());
        for (int from = 0; from < requests.size(); from += BRANCHES_PER_RECORD_MAX) {
            List<BranchPrepare> part =
                    requests.subList(from, Math.min(requests.size(), from + BRANCHES_PER_RECORD_MAX));
            for (CompletionStage<Vote> vote : new PreparePart(part).run()) {
                votes.add(vote.toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(votes.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> {
            if (failure != null) {
                throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
            }
            List<Vote> given = new ArrayList<>(votes.size());
            for (CompletableFuture<Vote> vote : votes) {
                given.add(vote.join());
            }
            return given;
        });
    }

    /** Commits the prepared branches among {@code xids}, with one lazy record for them. */
    void commitMany(List<Xid> xids) {
        requireDistinct(xids);
        for (int from = 0; from < xids.size(); from += BRANCHES_PER_RECORD_MAX) {
            List<Branch> live = liveBranches(xids.subList(from, Math.min(xids.size(), from + BRANCHES_PER_RECORD_MAX)));
            whileHolding(sorted(live), 0, () -> finishPrepared(live, true));
        }
    }

    /**
     * Rolls back the prepared branches among {@code xids} and leaves a tombstone for each xid the bank holds nothing
     * of, with one lazy record for both. As {@link MemoryBankAdapter#rollback} does, the branch map is looked at
     * again after the tombstones are recorded: a prepare that raced in before them is rolled back on its own.
     */
    void rollbackMany(List<Xid> xids) {
        requireDistinct(xids);
        for (int from = 0; from < xids.size(); from += BRANCHES_PER_RECORD_MAX) {
            List<Xid> part = xids.subList(from, Math.min(xids.size(), from + BRANCHES_PER_RECORD_MAX));
            List<Branch> live = new ArrayList<>(part.size());
            List<Xid> unknown = new ArrayList<>();
            for (Xid xid : part) {
                Branch branch = branches.get(xid);
                if (branch != null) {
                    live.add(branch);
                } else if (bank.finishedXids().get(xid) == null) {
                    unknown.add(xid);
                }
            }
            whileHolding(sorted(live), 0, () -> rollBackAndMark(live, unknown));
            for (Xid xid : unknown) {
                if (branches.get(xid) != null) {
                    bank.rollback(xid);
                }
            }
        }
    }

    private List<Branch> liveBranches(List<Xid> xids) {
        List<Branch> live = new ArrayList<>(xids.size());
        for (Xid xid : xids) {
            Branch branch = branches.get(xid);
            if (branch != null) {
                live.add(branch);
            }
        }
        return live;
    }

    /** Under every monitor of {@code live}: posts or releases those still prepared, after logging them. */
    private void finishPrepared(List<Branch> live, boolean commit) {
        List<Branch> prepared = new ArrayList<>(live.size());
        for (Branch branch : live) {
            if (branch.state() == BranchState.PREPARED) {
                prepared.add(branch);
            }
        }
        if (prepared.isEmpty()) {
            return;
        }
        whileChanging(() -> {
            List<Xid> logged = prepared.stream().map(branch -> branch.xid).toList();
            if (commit) {
                log.logCommitMany(logged);
            } else {
                log.logRollbackMany(logged);
            }
            for (Branch branch : prepared) {
                if (commit) {
                    branch.postHolds();
                } else {
                    branch.releaseHolds();
                }
                bank.finish(branch, commit ? BranchState.COMMITTED : BranchState.ROLLED_BACK);
            }
        });
    }

    private void rollBackAndMark(List<Branch> live, List<Xid> unknown) {
        List<Branch> prepared = new ArrayList<>(live.size());
        for (Branch branch : live) {
            if (branch.state() == BranchState.PREPARED) {
                prepared.add(branch);
            }
        }
        if (prepared.isEmpty() && unknown.isEmpty()) {
            return;
        }
        whileChanging(() -> {
            List<Xid> logged = new ArrayList<>(unknown);
            prepared.forEach(branch -> logged.add(branch.xid));
            log.logRollbackMany(logged);
            for (Xid xid : unknown) {
                bank.finishedXids().put(xid, BranchState.ROLLED_BACK);
            }
            for (Branch branch : prepared) {
                branch.releaseHolds();
                bank.finish(branch, BranchState.ROLLED_BACK);
            }
        });
    }

    private void whileChanging(Runnable change) {
        Lock changing = log.changeLock();
        changing.lock();
        try {
            change.run();
        } finally {
            changing.unlock();
        }
    }

    private static Branch[] sorted(List<Branch> live) {
        Branch[] sorted = live.toArray(Branch[]::new);
        Arrays.sort(sorted, Comparator.comparing(branch -> branch.xid, XID_ORDER));
        return sorted;
    }

    /** Runs {@code action} holding the monitors of {@code sorted[from..]}, taken in order. */
    private static void whileHolding(Branch[] sorted, int from, Runnable action) {
        if (from == sorted.length) {
            action.run();
            return;
        }
        synchronized (sorted[from]) {
            whileHolding(sorted, from + 1, action);
        }
    }

    private static void requireDistinct(List<Xid> xids) {
        Set<Xid> seen = new HashSet<>();
        for (Xid xid : xids) {
            if (!seen.add(xid)) {
                throw new IllegalArgumentException("xid " + xid + " appears twice in one message");
            }
        }
    }

    /**
     * One part of a prepare message: claims each branch in xid order (a new branch enters the map under its monitor,
     * which stays held; a branch already there gives the vote it gave before), then, holding every new branch's
     * monitor and the change lock, reserves each and queues one record for those that reserved.
     */
    private final class PreparePart {
        private final List<BranchPrepare> requests;
        private final Integer[] order;
        private final Branch[] claimed;
        private final List<CompletionStage<Vote>> votes;

        PreparePart(List<BranchPrepare> requests) {
            this.requests = requests;
            this.order = new Integer[requests.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparing(index -> requests.get(index).xid(), XID_ORDER));
            this.claimed = new Branch[requests.size()];
            this.votes = new ArrayList<>(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                votes.add(null);
            }
        }

        List<CompletionStage<Vote>> run() {
            claim(0);
            return votes;
        }

        private void claim(int level) {
            if (level == order.length) {
                reserveAndLog();
                return;
            }
            int index = order[level];
            BranchPrepare request = requests.get(index);
            if (request.postings().isEmpty()) {
                votes.set(index, MemoryBankAdapter.given(Vote.READ_ONLY));
                claim(level + 1);
                return;
            }
            while (true) {
                Branch branch = new Branch(request.xid());
                synchronized (branch) {
                    Branch existing = branches.putIfAbsent(request.xid(), branch);
                    if (existing == null) {
                        claimed[index] = branch;
                        claim(level + 1);
                        return;
                    }
                    CompletionStage<Vote> vote = MemoryBankAdapter.voteStageAlreadyGiven(existing);
                    if (vote != null) {
                        votes.set(index, vote);
                        break;
                    }
                }
            }
            claim(level + 1);
        }

        /** Holding every claimed branch's monitor; the finished markers are looked at now, as a single prepare does. */
        private void reserveAndLog() {
            List<Branch> reserved = new ArrayList<>(claimed.length);
            List<Integer> reservedAt = new ArrayList<>(claimed.length);
            whileChanging(() -> {
                for (int i = 0; i < claimed.length; i++) {
                    Branch branch = claimed[i];
                    if (branch != null) {
                        Vote vote = bank.reserve(branch, requests.get(i).postings());
                        if (branch.state() == BranchState.PREPARING) {
                            reserved.add(branch);
                            reservedAt.add(i);
                        } else {
                            votes.set(i, MemoryBankAdapter.given(vote));
                        }
                    }
                }
                if (!reserved.isEmpty()) {
                    logReserved(reserved, reservedAt);
                }
            });
        }

        private void logReserved(List<Branch> reserved, List<Integer> reservedAt) {
            CompletableFuture<Void> logged;
            try {
                logged = log.logPrepareMany(reserved);
            } catch (RuntimeException e) {
                for (Branch branch : reserved) {
                    branch.releaseHolds();
                    bank.abandon(branch);
                }
                throw e;
            }
            for (int i = 0; i < reserved.size(); i++) {
                Branch branch = reserved.get(i);
                branch.moveTo(BranchState.PREPARED);
                CompletionStage<Vote> durableVote = logged.handle(
                        (ignored, failure) -> failure == null ? Vote.COMMIT : bank.notLogged(branch, failure));
                branch.durableVote(durableVote);
                votes.set(reservedAt.get(i), durableVote);
            }
        }
    }
}
