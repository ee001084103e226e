package io.clearhouse.core.simulation;

import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The coordinator nodes' Raft group, reduced to what decides the coordinators' fate: a term, whether a leader is
 * elected, the entries that leader's log holds beyond the commit point, and the rule that entries commit once a
 * majority holds them, modelled as a replication round a few milliseconds after an append that commits everything
 * appended so far, and that waits while no majority of nodes is up.
 *
 * <p>When a leader is lost, the next leader's log holds some prefix of the entries not yet committed, chosen per seed
 * (all of them when the same node wins again, since its own log holds them); that prefix is committed with the new
 * leader's OPEN, before it, and the rest is truncated. Every write still waiting at the election fails, whether its
 * entry was kept or not, as a request to a peer that stops leading fails: its writer cannot tell which.
 *
 * <p>A write made while no leader is elected waits for the next one. A write reaches the current leader whoever
 * makes it, so a deposed node's write is appended in the new leader's term and refused by the {@link
 * SimulatedDecisionState}. A linearizable read is served only by a leader whose OPEN is committed (a new Raft leader
 * answers no read before it committed an entry of its term) while a majority is up; otherwise it fails.
 */
final class SimulatedRaftLog {
    static final long REPLICATION_DELAY_MAX_MILLIS = 10;
    static final long NO_MAJORITY_RETRY_MILLIS = 20;

    private sealed interface Entry permits Open, Append {}

    private record Open(long term, long tag, CompletableFuture<SimulatedDecisionState.Opening> opened)
            implements Entry {}

    private record Append(long term, long tag, DecisionRecord record, CompletableFuture<Void> written)
            implements Entry {}

    private final Scheduler scheduler;
    private final BooleanSupplier majorityUp;
    private final SimulatedDecisionState state = new SimulatedDecisionState();
    private List<Entry> uncommitted = new ArrayList<>();
    private final List<Runnable> waitingForLeader = new ArrayList<>();
    private long term;
    private boolean leaderElected;
    private boolean readable;
    private boolean roundScheduled;
    private int keptAfterLoss;
    private int truncatedAfterLoss;

    SimulatedRaftLog(Scheduler scheduler, BooleanSupplier majorityUp) {
        this.scheduler = scheduler;
        this.majorityUp = majorityUp;
    }

    SimulatedDecisionState state() {
        return state;
    }

    long term() {
        return term;
    }

    /** Entries of a lost leader that the next leader's log held and committed, over the run. */
    int keptAfterLoss() {
        return keptAfterLoss;
    }

    /** Entries of a lost leader that the next leader's log did not hold, over the run. */
    int truncatedAfterLoss() {
        return truncatedAfterLoss;
    }

    /** The leader is gone (crashed or cut off): nothing commits and no read is served until the next election. */
    void leaderLost() {
        leaderElected = false;
        readable = false;
    }

    /**
     * Starts the next term with a new leader, which appends its OPEN at once.
     *
     * @param winnerHoldsEverything whether the winner led before, so its log holds every entry not yet committed
     * @return completes with the opening once the OPEN is committed and applied, or fails if it never is
     */
    CompletableFuture<SimulatedDecisionState.Opening> elect(boolean winnerHoldsEverything) {
        term++;
        List<Entry> lost = uncommitted;
        int kept = winnerHoldsEverything ? lost.size() : keptPrefix(lost.size());
        keptAfterLoss += kept;
        truncatedAfterLoss += lost.size() - kept;
        uncommitted = new ArrayList<>(lost.subList(0, kept));
        leaderElected = true;
        readable = false;
        roundScheduled = false;
        Open open = new Open(term, term, new CompletableFuture<>());
        uncommitted.add(open);
        waitingForLeader.forEach(Runnable::run);
        waitingForLeader.clear();
        scheduleRound();
        // Their writers hear of it once the new term stands, so what they do next meets the new leader.
        lost.forEach(
                entry -> fail(entry, "failed: its leader was lost before it committed; it may commit all the same"));
        return open.opened();
    }

    /** As many of the uncommitted entries as the new leader's log holds: none, all, or any prefix in between. */
    private int keptPrefix(int uncommittedEntries) {
        return switch (scheduler.random().nextInt(3)) {
            case 0 -> 0;
            case 1 -> uncommittedEntries;
            default -> scheduler.random().nextInt(uncommittedEntries + 1);
        };
    }

    /**
     * Writes {@code record} in the name of the leader of term {@code tag}.
     *
     * @return completes once the entry is committed and accepted; fails if it is refused or its leader is lost first
     */
    CompletableFuture<Void> append(long tag, DecisionRecord record) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        if (leaderElected) {
            appendNow(tag, record, written);
        } else {
            waitingForLeader.add(() -> appendNow(tag, record, written));
        }
        return written;
    }

    private void appendNow(long tag, DecisionRecord record, CompletableFuture<Void> written) {
        uncommitted.add(new Append(term, tag, record, written));
        scheduleRound();
    }

    /**
     * The commit decision of {@code globalId}, read linearizably from the leader.
     *
     * @throws DecisionLogException when no leader can serve the read
     */
    Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId) {
        if (!readable || !majorityUp.getAsBoolean()) {
            throw new DecisionLogException("no leader of term " + term + " can serve a read of " + globalId);
        }
        return state.commitDecisionOf(globalId);
    }

    private void scheduleRound() {
        if (roundScheduled || uncommitted.isEmpty()) {
            return;
        }
        roundScheduled = true;
        long roundTerm = term;
        scheduler.after(scheduler.between(1, REPLICATION_DELAY_MAX_MILLIS), () -> commitRound(roundTerm));
    }

    /** Commits every entry appended so far, then answers their writers, once all of them are applied. */
    private void commitRound(long roundTerm) {
        if (roundTerm != term || !leaderElected) {
            // The election that ended this term scheduled a round of its own.
            return;
        }
        if (!majorityUp.getAsBoolean()) {
            scheduler.after(NO_MAJORITY_RETRY_MILLIS, () -> commitRound(roundTerm));
            return;
        }
        roundScheduled = false;
        List<Entry> committed = uncommitted;
        uncommitted = new ArrayList<>();
        List<Runnable> answers = new ArrayList<>(committed.size());
        for (Entry entry : committed) {
            answers.add(apply(entry));
        }
        answers.forEach(Runnable::run);
        scheduleRound();
    }

    private Runnable apply(Entry entry) {
        if (entry instanceof Open open) {
            Optional<SimulatedDecisionState.Opening> opening = state.open(open.term(), open.tag());
            if (opening.isPresent() && open.term() == term) {
                readable = true;
            }
            return () -> opening.ifPresentOrElse(
                    open.opened()::complete,
                    () -> fail(open, "refused: the OPEN of term " + open.term() + " was tagged " + open.tag()));
        }
        Append append = (Append) entry;
        boolean accepted = state.append(append.term(), append.tag(), append.record());
        return () -> {
            if (accepted) {
                append.written().complete(null);
            } else {
                fail(append, "refused: the entry of term " + append.term() + " was tagged " + append.tag());
            }
        };
    }

    private static void fail(Entry entry, String why) {
        DecisionLogException failure = new DecisionLogException("decision log write " + why);
        if (entry instanceof Open open) {
            open.opened().completeExceptionally(failure);
        } else {
            ((Append) entry).written().completeExceptionally(failure);
        }
    }
}
