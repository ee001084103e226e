package io.clearhouse.core.simulation;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.recovery.Recovery;
import io.clearhouse.core.recovery.RecoveryReport;
import io.clearhouse.spi.BankAdapter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One coordinator node of the cluster. Elected, it appends an OPEN; once the OPEN is committed it runs recovery with
 * the production code (when every bank is up, as recovery calls them directly), then coordinates as a {@link
 * Leadership} until it learns of a newer term or crashes, which drops every volatile thing it held. Deposed without
 * knowing it, it goes on coordinating: its writes then fail, refused by the fencing or lost with its term.
 */
final class SimulatedCoordinator {
    static final long RECOVERY_RETRY_MILLIS = 20;

    /** A client waiting for its answer: an outcome, or a failure after which it may ask again. */
    interface Client {
        void told(Outcome outcome);

        /** The node cannot answer: it does not lead, is not ready, or its decision log write failed. */
        void failed();
    }

    /** What the cluster hears of its nodes. */
    interface Observer {
        /** A transaction this node coordinates has just reached {@code point}. */
        void reached(SimulatedCoordinator node, FailoverPoint point);

        /** Whether recovery passes should still run; they stop once the faults do, so a run can end. */
        boolean recoveryPassesWanted();
    }

    private final String nodeId;
    private final SimulatedWorld world;
    private final SimulatedRaftLog raftLog;
    private final Observer observer;
    private NodeRole role = NodeRole.FOLLOWER;
    private long term;
    /** Ends the wait for an OPEN or for the banks when the node stops leading. */
    private int leadershipToken;
    /** The work of the current leadership; meaningful only while {@code LEADING}. */
    private Leadership leadership;

    SimulatedCoordinator(String nodeId, SimulatedWorld world, SimulatedRaftLog raftLog, Observer observer) {
        this.nodeId = nodeId;
        this.world = world;
        this.raftLog = raftLog;
        this.observer = observer;
    }

    @Override
    public String toString() {
        return nodeId + " (" + role + ", term " + term + ")";
    }

    boolean isUp() {
        return role != NodeRole.DOWN;
    }

    boolean isLeading() {
        return role == NodeRole.LEADING;
    }

    /** The term it was last elected in; 0 before its first election. */
    long term() {
        return term;
    }

    /** Whether it believes it leads, or is about to, in a term older than {@code newerTerm}. */
    boolean electedBefore(long newerTerm) {
        return role.elected() && term < newerTerm;
    }

    /** The prefix of the transaction ids of the incarnation it leads. */
    String currentIdPrefix() {
        requireLeading();
        return leadership.idPrefix();
    }

    /** Where its transactions in flight stand, for the coverage of a leader loss; none unless it leads. */
    Set<FailoverPoint> pointsInFlight() {
        return role == NodeRole.LEADING ? leadership.pointsInFlight() : Set.of();
    }

    void crash() {
        role = role.transitionTo(NodeRole.DOWN);
        forget();
    }

    void restart() {
        role = role.transitionTo(NodeRole.FOLLOWER);
    }

    /** Learns that a newer term began: stops coordinating at once; what it sent may still arrive. */
    void stepDown() {
        role = role.transitionTo(NodeRole.FOLLOWER);
        forget();
    }

    private void forget() {
        leadershipToken++;
        if (leadership != null) {
            leadership.stop();
            leadership = null;
        }
    }

    /** Elected leader of {@code term}: once its OPEN is committed, it recovers and then takes work. */
    void lead(long term, CompletableFuture<SimulatedDecisionState.Opening> opening) {
        role = role.transitionTo(NodeRole.OPENING);
        this.term = term;
        int token = ++leadershipToken;
        opening.whenComplete((opened, failure) -> {
            // A failed OPEN means the node was deposed before it committed; it waits to learn of the newer term.
            if (failure == null && token == leadershipToken) {
                role = role.transitionTo(NodeRole.RECOVERING);
                recoverWhenPossible(opened, token);
            }
        });
    }

    private void recoverWhenPossible(SimulatedDecisionState.Opening opened, int token) {
        if (token != leadershipToken) {
            return;
        }
        if (!world.allBanksUp() || !recover(opened)) {
            world.scheduler().after(RECOVERY_RETRY_MILLIS, () -> recoverWhenPossible(opened, token));
            return;
        }
        role = role.transitionTo(NodeRole.LEADING);
    }

    /**
     * Runs recovery over the banks (which leaves the branches of newer incarnations to their leaders), then begins the leadership; false when the log
     * could not serve a read (a node deposed without knowing it, during the next election), so it must try again:
     * what recovery did so far is idempotent.
     */
    private boolean recover(SimulatedDecisionState.Opening opened) {
        SimulatedDecisionLog log = new SimulatedDecisionLog(raftLog, term, opened);
        Map<String, BankAdapter> banks = new LinkedHashMap<>(world.banks());
        RecoveryReport report;
        try {
            report = new Recovery(banks, log, 1, 0, Leadership.MESSAGE_BRANCHES_MAX, branches -> {}).run();
        } catch (DecisionLogException e) {
            return false;
        }
        world.tally().recoveredCommits += report.committedBranches();
        world.tally().recoveredRollbacks += report.rolledBackBranches();
        leadership = new Leadership(this, world, log, banks, observer);
        return true;
    }

    /**
     * A client's request. A node that is down says nothing; one that does not lead in its own eyes, or has not
     * recovered yet, fails it at once so the client asks again elsewhere.
     */
    void submit(String clientId, List<Posting> postings, Client client) {
        switch (role) {
            case DOWN -> {}
            case FOLLOWER, OPENING, RECOVERING -> client.failed();
            case LEADING -> leadership.accept(clientId, postings, client);
        }
    }

    private void requireLeading() {
        if (role != NodeRole.LEADING) {
            throw new IllegalStateException(this + " does not lead");
        }
    }
}
