package io.clearhouse.core.protocol;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;

/**
 * Two-phase commit with presumed abort for one attempt of one transaction, as a deterministic state machine: each
 * {@link Event} goes in through {@link #step}, the {@link Effect}s it causes come out. It owns no thread, clock,
 * socket or file, and is not thread-safe: a runtime delivers one event at a time.
 *
 * <p>The rules it enforces:
 * <ul>
 *   <li>prepares go to every bank at once; only when every bank voted COMMIT or READ_ONLY is the commit decision
 *       forced, and no commit is sent before it is durable; READ_ONLY branches get no phase two;
 *   <li>the first ABORT vote or failed prepare decides to abort: the machine enters {@code ABORTING} and rolls back
 *       at once every branch that voted COMMIT (and every later COMMIT voter), so no hold outlives the decision;
 *   <li>the abort's reason, though, waits for every vote, up to the prepare deadline, and is the one of highest
 *       precedence among them: a business refusal before an infrastructure failure, business refusals in the order
 *       of {@link Reason} (so {@code UNKNOWN_ACCOUNT}, then {@code INSUFFICIENT_FUNDS}, then {@code
 *       BALANCE_OVERFLOW}), then {@code BANK_UNAVAILABLE} for a failed prepare, then {@code TIMEOUT} for a vote
 *       still missing at the deadline. The reason is therefore the same whatever order the votes arrive in, which is
 *       what a transfer that both overdraws its source and overflows its destination needs;
 *   <li>at the deadline every branch still without a vote is rolled back, and the outcome is recorded with the best
 *       reason seen so far, {@code TIMEOUT} only when no bank gave another;
 *   <li>an abort is not forced before the rollbacks, but the client's outcome is durable before the reply;
 *   <li>phase two retries each branch until acknowledged, up to a limit after which the branch is left to
 *       recovery; the completion record is written lazily once every commit is acknowledged.
 * </ul>
 * A transaction on a single bank takes the same path, which there amounts to one-phase commit: the bank's prepare
 * and commit go out back to back with one forced record between them, and that record is the client's outcome
 * itself, with no separate participant bookkeeping. Writing it before the commit, rather than after, is what keeps
 * a client's retry after a coordinator crash from applying the transfer twice.
 */
public final class TransactionMachine {
    private final String globalId;
    private final String clientId;
    private final List<Posting> postings;
    private final Xid[] xids;
    private final List<Branch> branches;
    private final BranchState[] branchStates;
    /** Failed phase-two calls per branch; made at the first failure, since most transactions never see one. */
    private int[] phaseTwoFailures;

    private final int phaseTwoAttemptsMax;
    /** Why the transaction may not run, known before any bank hears of it; {@code null} for one that runs. */
    private final Reason refusal;

    private CoordinatorState state = CoordinatorState.ACTIVE;
    private int votesPending;
    private int acknowledgementsPending;
    private boolean outcomeDurable;
    private boolean inDoubt;
    private Outcome outcome;
    /** The abort reason of highest precedence heard so far; {@code null} while every answer was in favour. */
    private Reason abortReason;

    /**
     * @param globalId this attempt's id, unique across restarts; the transaction id of every xid
     * @param clientId the client's idempotency key
     * @param postings every posting of the transaction
     * @param branches one per bank; empty only for a transaction that will be refused
     * @param phaseTwoAttemptsMax how many times a commit or rollback is sent before the branch is left to recovery
     */
    public TransactionMachine(
            String globalId, String clientId, List<Posting> postings, List<Branch> branches, int phaseTwoAttemptsMax) {
        this(globalId, clientId, postings, branches, phaseTwoAttemptsMax, null);
    }

    /**
     * A machine that {@link #firstEvent()} starts or refuses.
     *
     * @param refusal why the transaction may not run, {@code null} when it may; a refused one has no branches
     */
    public TransactionMachine(
            String globalId,
            String clientId,
            List<Posting> postings,
            List<Branch> branches,
            int phaseTwoAttemptsMax,
            Reason refusal) {
        if (refusal != null && !branches.isEmpty()) {
            throw new IllegalArgumentException("a refused transaction has no branches: " + globalId);
        }
        if (phaseTwoAttemptsMax < 1) {
            throw new IllegalArgumentException("phaseTwoAttemptsMax must be at least 1: " + phaseTwoAttemptsMax);
        }
        this.globalId = globalId;
        this.clientId = clientId;
        this.postings = postings;
        this.phaseTwoAttemptsMax = phaseTwoAttemptsMax;
        this.refusal = refusal;
        int count = branches.size();
        this.xids = new Xid[count];
        // Immutable lists, such as the directory's, are taken as they are, without a copy.
        this.branches = List.copyOf(branches);
        this.branchStates = new BranchState[count];
        for (int i = 0; i < count; i++) {
            xids[i] = new Xid(globalId, this.branches.get(i).bankId());
        }
    }

    /** The event that begins the transaction: {@link Event#START}, or its refusal. */
    public Event firstEvent() {
        return refusal == null ? Event.START : new Event.Refuse(refusal);
    }

    /** Applies {@code event} and appends the effects it causes to {@code effects}, in the order they must start. */
    public void step(Event event, EffectSink effects) {
        if (event instanceof Event.VoteReceived vote) {
            onVote(vote.bankId(), vote.vote(), effects);
        } else if (event instanceof Event.AckReceived ack) {
            onAcknowledged(ack.bankId(), effects);
        } else if (event instanceof Event.DecisionDurable) {
            onDecisionDurable(effects);
        } else if (event instanceof Event.OutcomeDurable) {
            onOutcomeDurable(effects);
        } else if (event instanceof Event.Start) {
            onStart(effects);
        } else if (event instanceof Event.Refuse refuse) {
            onRefuse(refuse.reason(), effects);
        } else if (event instanceof Event.PrepareFailed failed) {
            onPrepareFailed(failed.bankId(), effects);
        } else if (event instanceof Event.PrepareTimedOut) {
            onPrepareTimedOut(effects);
        } else if (event instanceof Event.PhaseTwoFailed failed) {
            onPhaseTwoFailed(failed.bankId(), effects);
        } else {
            throw new IllegalStateException("unknown event " + event);
        }
    }

    public CoordinatorState state() {
        return state;
    }

    public String globalId() {
        return globalId;
    }

    public String clientId() {
        return clientId;
    }

    /** The outcome once decided and durable; {@code null} before. */
    public Outcome outcome() {
        return outcomeDurable ? outcome : null;
    }

    /** How many banks the transaction has a branch at; none when it was refused. */
    public int branchCount() {
        return xids.length;
    }

    /** The bank of the branch at {@code index}, in routing order. */
    public String branchBank(int index) {
        return xids[index].bankId();
    }

    /** The state of the branch at {@code bankId}. */
    public BranchState branchState(String bankId) {
        return branchStates[indexOf(bankId)];
    }

    /** The branches whose phase two gave up after the retry limit, so they stay in doubt until recovery. */
    public List<Xid> abandonedBranches() {
        List<Xid> abandoned = new ArrayList<>(1);
        for (int i = 0; i < xids.length; i++) {
            if (branchStates[i] == BranchState.ABANDONED) {
                abandoned.add(xids[i]);
            }
        }
        return abandoned;
    }

    private void onStart(EffectSink effects) {
        if (xids.length == 0) {
            throw new IllegalStateException("a transaction without branches must be refused: " + globalId);
        }
        state = state.transitionTo(CoordinatorState.PREPARING);
        votesPending = xids.length;
        for (int i = 0; i < xids.length; i++) {
            branchStates[i] = BranchState.PREPARE_SENT;
            effects.add(new Effect.SendPrepare(xids[i], branches.get(i).postings()));
        }
        effects.add(Effect.START_PREPARE_TIMER);
    }

    private void onRefuse(Reason reason, EffectSink effects) {
        state = state.transitionTo(CoordinatorState.ABORTING);
        recordAbort(reason, effects);
    }

    private void onVote(String bankId, Vote vote, EffectSink effects) {
        int index = indexOf(bankId);
        if (branchStates[index] != BranchState.PREPARE_SENT) {
            onLatePrepareAnswer(index, vote instanceof Vote.Commit, effects);
            return;
        }
        votesPending--;
        if (vote instanceof Vote.Abort abort) {
            moveBranch(index, BranchState.VOTED_ABORT);
            noteAbortReason(abort.reason());
        } else {
            moveBranch(index, vote instanceof Vote.Commit ? BranchState.VOTED_COMMIT : BranchState.VOTED_READ_ONLY);
        }
        afterPrepareAnswer(effects);
    }

    /**
     * An answer to a prepare of a branch that already voted, or that came after the deadline or the commit
     * decision. Mostly a duplicate to ignore; but a bank that voted ABORT or READ_ONLY keeps nothing, so a
     * duplicated prepare reaching it later may prepare the branch anew, and a COMMIT vote or a failed call for it
     * may mean it did. Such a branch is in no commit decision, so it is rolled back: tracked while the transaction
     * is still aborting, sent once otherwise and left to recovery should that rollback be lost.
     */
    private void onLatePrepareAnswer(int index, boolean mayHoldBranch, EffectSink effects) {
        BranchState branch = branchStates[index];
        if (!mayHoldBranch || (branch != BranchState.VOTED_ABORT && branch != BranchState.VOTED_READ_ONLY)) {
            return;
        }
        if (state == CoordinatorState.ABORTING) {
            moveBranch(index, BranchState.PHASE_TWO_SENT);
            acknowledgementsPending++;
        }
        effects.add(new Effect.SendRollback(xids[index], 0));
    }

    private void onPrepareFailed(String bankId, EffectSink effects) {
        int index = indexOf(bankId);
        if (branchStates[index] != BranchState.PREPARE_SENT) {
            onLatePrepareAnswer(index, true, effects);
            return;
        }
        votesPending--;
        moveBranch(index, BranchState.PREPARE_FAILED);
        noteAbortReason(Reason.BANK_UNAVAILABLE);
        afterPrepareAnswer(effects);
    }

    /**
     * After each counted answer to a prepare: commit once every vote is in favour; once any is against, abort,
     * rolling back what may be held right away but recording the outcome only when its reason is settled.
     */
    private void afterPrepareAnswer(EffectSink effects) {
        if (abortReason == null) {
            if (votesPending == 0) {
                decideCommit(effects);
            }
            return;
        }
        if (state == CoordinatorState.PREPARING) {
            state = state.transitionTo(CoordinatorState.ABORTING);
        }
        rollBackBranchesThatMayHold(false, effects);
        if (votesPending == 0) {
            effects.add(Effect.CANCEL_PREPARE_TIMER);
            recordAbort(abortReason, effects);
        }
    }

    private void onPrepareTimedOut(EffectSink effects) {
        if (votesPending == 0) {
            return;
        }
        if (state == CoordinatorState.PREPARING) {
            state = state.transitionTo(CoordinatorState.ABORTING);
        }
        noteAbortReason(Reason.TIMEOUT);
        votesPending = 0;
        effects.add(Effect.CANCEL_PREPARE_TIMER);
        rollBackBranchesThatMayHold(true, effects);
        recordAbort(abortReason, effects);
    }

    private void noteAbortReason(Reason reason) {
        if (abortReason == null || precedence(reason) < precedence(abortReason)) {
            abortReason = reason;
        }
    }

    /**
     * The rank of an abort reason, lowest first: business refusals in their declared order (the batch contract's
     * precedence), then a bank that could not be asked, then one that did not answer in time.
     */
    private static int precedence(Reason reason) {
        return switch (reason) {
            case BANK_UNAVAILABLE -> Reason.values().length;
            case TIMEOUT -> Reason.values().length + 1;
            default -> reason.ordinal();
        };
    }

    private void decideCommit(EffectSink effects) {
        state = state.transitionTo(CoordinatorState.COMMITTING);
        effects.add(Effect.CANCEL_PREPARE_TIMER);
        outcome = Outcome.committed(clientId);
        effects.add(new Effect.ForceDecision(
                new DecisionRecord.CommitDecision(globalId, clientId, postings, participants())));
    }

    /**
     * The banks that voted COMMIT, as an immutable list; a transfer's one or two are listed without an array in
     * between, since every committed transfer makes this list.
     */
    private List<String> participants() {
        String first = null;
        String second = null;
        int count = 0;
        for (int i = 0; i < xids.length; i++) {
            if (branchStates[i] == BranchState.VOTED_COMMIT) {
                if (count == 0) {
                    first = xids[i].bankId();
                } else if (count == 1) {
                    second = xids[i].bankId();
                }
                count++;
            }
        }
        return switch (count) {
            case 0 -> List.of();
            case 1 -> List.of(first);
            case 2 -> List.of(first, second);
            default -> manyParticipants(count);
        };
    }

    private List<String> manyParticipants(int count) {
        String[] participants = new String[count];
        int next = 0;
        for (int i = 0; i < xids.length; i++) {
            if (branchStates[i] == BranchState.VOTED_COMMIT) {
                participants[next++] = xids[i].bankId();
            }
        }
        return List.of(participants);
    }

    /**
     * Rolls back every branch that may hold a reservation and has no phase two yet. A branch still waiting for its
     * vote is included only at the deadline ({@code includingUnanswered}): it may yet be prepared when its prepare
     * lands, and the bank remembers a rollback that came first. Before the deadline its vote is still wanted, for
     * the reason it may carry.
     */
    private void rollBackBranchesThatMayHold(boolean includingUnanswered, EffectSink effects) {
        for (int i = 0; i < xids.length; i++) {
            BranchState branch = branchStates[i];
            if (branch == BranchState.VOTED_COMMIT
                    || branch == BranchState.PREPARE_FAILED
                    || (includingUnanswered && branch == BranchState.PREPARE_SENT)) {
                moveBranch(i, BranchState.PHASE_TWO_SENT);
                acknowledgementsPending++;
                effects.add(new Effect.SendRollback(xids[i], 0));
            }
        }
    }

    private void recordAbort(Reason reason, EffectSink effects) {
        outcome = Outcome.aborted(clientId, reason);
        effects.add(new Effect.RecordOutcome(new DecisionRecord.AbortOutcome(globalId, clientId, reason, postings)));
    }

    private void onDecisionDurable(EffectSink effects) {
        if (state != CoordinatorState.COMMITTING || outcomeDurable) {
            throw new IllegalStateException("decision durable in " + state + " for " + globalId);
        }
        outcomeDurable = true;
        for (int i = 0; i < xids.length; i++) {
            if (branchStates[i] == BranchState.VOTED_COMMIT) {
                moveBranch(i, BranchState.PHASE_TWO_SENT);
                acknowledgementsPending++;
                effects.add(new Effect.SendCommit(xids[i], 0));
            }
        }
        effects.add(new Effect.Reply(outcome));
        completeIfDone(effects);
    }

    private void onOutcomeDurable(EffectSink effects) {
        if (state != CoordinatorState.ABORTING || votesPending > 0 || outcomeDurable) {
            throw new IllegalStateException("abort outcome durable in " + state + " for " + globalId);
        }
        outcomeDurable = true;
        effects.add(new Effect.Reply(outcome));
        completeIfDone(effects);
    }

    private void onAcknowledged(String bankId, EffectSink effects) {
        int index = indexOf(bankId);
        if (branchStates[index] != BranchState.PHASE_TWO_SENT) {
            return;
        }
        moveBranch(index, BranchState.ACKNOWLEDGED);
        acknowledgementsPending--;
        completeIfDone(effects);
    }

    private void onPhaseTwoFailed(String bankId, EffectSink effects) {
        int index = indexOf(bankId);
        if (branchStates[index] != BranchState.PHASE_TWO_SENT) {
            return;
        }
        if (phaseTwoFailures == null) {
            phaseTwoFailures = new int[xids.length];
        }
        int failures = ++phaseTwoFailures[index];
        if (failures < phaseTwoAttemptsMax) {
            effects.add(
                    state == CoordinatorState.COMMITTING
                            ? new Effect.SendCommit(xids[index], failures)
                            : new Effect.SendRollback(xids[index], failures));
            return;
        }
        moveBranch(index, BranchState.ABANDONED);
        acknowledgementsPending--;
        inDoubt = true;
        effects.add(new Effect.AbandonPhaseTwo(xids[index]));
        completeIfDone(effects);
    }

    private void completeIfDone(EffectSink effects) {
        if (!outcomeDurable || acknowledgementsPending > 0 || state == CoordinatorState.COMPLETED) {
            return;
        }
        boolean committed = state == CoordinatorState.COMMITTING;
        state = state.transitionTo(CoordinatorState.COMPLETED);
        if (committed && !inDoubt && hasParticipants()) {
            effects.add(new Effect.RecordCompletion(new DecisionRecord.Completion(globalId)));
        }
        effects.add(new Effect.Complete(outcome, inDoubt));
    }

    private boolean hasParticipants() {
        for (BranchState branch : branchStates) {
            if (branch == BranchState.ACKNOWLEDGED) {
                return true;
            }
        }
        return false;
    }

    private void moveBranch(int index, BranchState next) {
        branchStates[index] = branchStates[index].transitionTo(next);
    }

    private int indexOf(String bankId) {
        for (int i = 0; i < xids.length; i++) {
            String candidate = xids[i].bankId();
            if (candidate == bankId || candidate.equals(bankId)) {
                return i;
            }
        }
        throw new IllegalStateException("bank " + bankId + " has no branch in " + globalId);
    }
}
