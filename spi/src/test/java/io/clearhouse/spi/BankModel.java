package io.clearhouse.spi;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a bank that keeps the contract must show after a sequence of calls: the posted balance and held amount of
 * every account, the room reserved by pending credits, and where every branch stands. The fault-injection runs of the
 * kit drive a bank and this model with the same calls and compare them after each one; for every call the model also
 * says which contract point a difference would break.
 */
final class BankModel {
    enum BranchState {
        PREPARED,
        COMMITTED,
        ROLLED_BACK,
        /** Voted ABORT: the bank keeps nothing, the coordinator will roll it back. */
        ABORTED,
        READ_ONLY
    }

    /** A branch the run has sent: its postings, where it stands and in which epoch (run of the bank) it got there. */
    static final class Branch {
        final Xid xid;
        final List<Posting> postings;
        BranchState state;
        int epoch;

        Branch(Xid xid, List<Posting> postings, BranchState state, int epoch) {
            this.xid = xid;
            this.postings = postings;
            this.state = state;
            this.epoch = epoch;
        }
    }

    /**
     * What one prepare of a branch must answer, and the points a wrong vote or a wrong state afterwards would break.
     *
     * @param votes the votes the contract allows (several only when several abort reasons apply)
     * @param votePoint the point a vote outside {@code votes} breaks
     * @param statePoint the point wrong balances or holds after the call break
     */
    record Expected(Set<Vote> votes, ContractPoint votePoint, ContractPoint statePoint) {}

    private final Map<String, Long> posted;
    private final Map<String, Long> held = new HashMap<>();
    private final Map<String, Long> pendingCredits = new HashMap<>();
    private final Map<Xid, Branch> branches = new LinkedHashMap<>();
    private int epoch;

    /** A model of a bank at rest with these posted balances. */
    BankModel(Map<String, Long> posted) {
        this.posted = new LinkedHashMap<>(posted);
    }

    List<String> accounts() {
        return List.copyOf(posted.keySet());
    }

    long posted(String account) {
        return posted.get(account);
    }

    long held(String account) {
        return held.getOrDefault(account, 0L);
    }

    long available(String account) {
        return posted(account) - held(account);
    }

    /** How much may still be credited to {@code account} before a commit could overflow. */
    long creditRoom(String account) {
        return Long.MAX_VALUE - posted(account) - pendingCredits.getOrDefault(account, 0L);
    }

    Map<String, Long> postedBalances() {
        return new LinkedHashMap<>(posted);
    }

    Set<Xid> prepared() {
        Set<Xid> prepared = new LinkedHashSet<>();
        branches.values().stream()
                .filter(branch -> branch.state == BranchState.PREPARED)
                .forEach(branch -> prepared.add(branch.xid));
        return prepared;
    }

    List<Branch> branchesIn(BranchState state) {
        List<Branch> found = new ArrayList<>();
        branches.values().stream().filter(branch -> branch.state == state).forEach(found::add);
        return found;
    }

    /** The bank was closed and opened again: what it knew durably must still hold. */
    void reopened() {
        epoch++;
    }

    /** A point that the bank may have broken by forgetting across a reopen rather than by repeating a call. */
    private ContractPoint afterReopen(Branch branch, ContractPoint point, ContractPoint durablePoint) {
        return branch.epoch < epoch ? durablePoint : point;
    }

    /** A prepare of {@code xid}: what the bank must answer, applied to the model. */
    Expected prepare(Xid xid, List<Posting> postings, ContractPoint freshPoint) {
        Branch branch = branches.get(xid);
        if (branch != null && (branch.state == BranchState.PREPARED || branch.state == BranchState.COMMITTED)) {
            ContractPoint durable = branch.state == BranchState.PREPARED ? ContractPoint.C11 : ContractPoint.C12;
            ContractPoint point = afterReopen(branch, ContractPoint.C6, durable);
            return new Expected(Set.of(Vote.COMMIT), point, point);
        }
        if (branch != null && branch.state == BranchState.ROLLED_BACK) {
            ContractPoint point = afterReopen(branch, ContractPoint.C9, ContractPoint.C12);
            return new Expected(Set.of(Vote.abort(Reason.TIMEOUT)), point, point);
        }
        if (branch != null) {
            throw new IllegalStateException("the run prepares " + xid + " again after " + branch.state);
        }
        return prepareFresh(xid, postings, freshPoint);
    }

    private Expected prepareFresh(Xid xid, List<Posting> postings, ContractPoint freshPoint) {
        if (postings.isEmpty()) {
            branches.put(xid, new Branch(xid, postings, BranchState.READ_ONLY, epoch));
            return new Expected(Set.of(Vote.READ_ONLY), freshPoint, ContractPoint.C4);
        }
        Set<Reason> reasons = refusals(postings);
        if (!reasons.isEmpty()) {
            branches.put(xid, new Branch(xid, postings, BranchState.ABORTED, epoch));
            Set<Vote> votes = new LinkedHashSet<>();
            reasons.forEach(reason -> votes.add(Vote.abort(reason)));
            return new Expected(votes, freshPoint, ContractPoint.C5);
        }
        for (Posting posting : postings) {
            reserved(posting).merge(posting.account(), Math.abs(posting.amount()), Long::sum);
        }
        branches.put(xid, new Branch(xid, List.copyOf(postings), BranchState.PREPARED, epoch));
        return new Expected(Set.of(Vote.COMMIT), freshPoint, ContractPoint.C1);
    }

    /** Every reason the contract gives to refuse {@code postings}; a bank may name any one of them. */
    private Set<Reason> refusals(List<Posting> postings) {
        Set<Reason> reasons = EnumSet.noneOf(Reason.class);
        for (Posting posting : postings) {
            if (!posted.containsKey(posting.account())) {
                reasons.add(Reason.UNKNOWN_ACCOUNT);
            } else if (posting.isDebit() && available(posting.account()) < -posting.amount()) {
                reasons.add(Reason.INSUFFICIENT_FUNDS);
            } else if (!posting.isDebit() && creditRoom(posting.account()) < posting.amount()) {
                reasons.add(Reason.BALANCE_OVERFLOW);
            }
        }
        return reasons;
    }

    private Map<String, Long> reserved(Posting posting) {
        return posting.isDebit() ? held : pendingCredits;
    }

    /** A commit of {@code xid}, applied to the model; returns the point wrong balances afterwards break. */
    ContractPoint commit(Xid xid) {
        Branch branch = branches.get(xid);
        if (branch == null) {
            return ContractPoint.C10;
        }
        if (branch.state == BranchState.COMMITTED) {
            return afterReopen(branch, ContractPoint.C7, ContractPoint.C12);
        }
        if (branch.state != BranchState.PREPARED) {
            throw new IllegalStateException("the run commits " + xid + " after " + branch.state);
        }
        for (Posting posting : branch.postings) {
            posted.merge(posting.account(), posting.amount(), Long::sum);
            reserved(posting).merge(posting.account(), -Math.abs(posting.amount()), Long::sum);
        }
        return finish(branch, BranchState.COMMITTED, ContractPoint.C2);
    }

    /** A rollback of {@code xid}, applied to the model; returns the point wrong balances afterwards break. */
    ContractPoint rollback(Xid xid) {
        Branch branch = branches.get(xid);
        if (branch == null) {
            branches.put(xid, new Branch(xid, List.of(), BranchState.ROLLED_BACK, epoch));
            return ContractPoint.C10;
        }
        switch (branch.state) {
            case ROLLED_BACK -> {
                return afterReopen(branch, ContractPoint.C8, ContractPoint.C12);
            }
            case ABORTED, READ_ONLY -> {
                return finish(branch, BranchState.ROLLED_BACK, ContractPoint.C10);
            }
            case PREPARED -> {
                for (Posting posting : branch.postings) {
                    reserved(posting).merge(posting.account(), -Math.abs(posting.amount()), Long::sum);
                }
                return finish(branch, BranchState.ROLLED_BACK, ContractPoint.C3);
            }
            default -> throw new IllegalStateException("the run rolls back " + xid + " after " + branch.state);
        }
    }

    private ContractPoint finish(Branch branch, BranchState state, ContractPoint point) {
        branch.state = state;
        branch.epoch = epoch;
        return point;
    }
}
