package io.clearhouse.core.simulation;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Three or five coordinator nodes over one {@link SimulatedRaftLog}, with elections. A leader is lost by crashing or
 * by being cut off; an election timeout later a node that is up wins, if a majority is up, and appends its OPEN. A
 * node cut off goes on coordinating until it learns of the newer term, some time after the election, per seed. The
 * scheduler loses leaders at random times, and also right after a transaction of the leader reached the protocol
 * point the seed picked ({@link FailoverPoint}), so that narrow windows such as a decision appended but not yet
 * committed are hit too.
 */
final class CoordinatorCluster implements SimulatedCoordinator.Observer {
    static final long ELECTION_TIMEOUT_MIN_MILLIS = 20;
    static final long ELECTION_TIMEOUT_MAX_MILLIS = 150;
    static final long NODE_DOWN_MIN_MILLIS = 20;
    static final long NODE_DOWN_MAX_MILLIS = 300;
    static final long LEARN_DELAY_MAX_MILLIS = 200;
    /** How often a client sends to the leader before the current one, as a client with an old address would. */
    static final double STALE_ADDRESS_CHANCE = 0.2;
    /** How often a transaction reaching the seed's point costs the leader, while the seed's budget lasts. */
    static final double LOSS_AT_POINT_CHANCE = 0.3;

    /** How a leader is lost. */
    enum LeaderLoss {
        /** The node crashes: its volatile state is gone at once, and it restarts as a follower later. */
        CRASH,
        /** The node is cut off from its peers: it goes on coordinating until it learns of the newer term. */
        CUT_OFF
    }

    private final Scheduler scheduler;
    private final Tally tally;
    private final SimulatedRaftLog raftLog;
    private final List<SimulatedCoordinator> nodes = new ArrayList<>();
    private final long learnDelayMaxMillis;
    private final FailoverPoint lossPoint;
    private final Map<FailoverPoint, Integer> lossesByPoint = new EnumMap<>(FailoverPoint.class);
    private int lossesAtPointLeft;
    private SimulatedCoordinator leader;
    private SimulatedCoordinator previousLeader;
    /** True from a leader's loss, or the start, to the next election. */
    private boolean electionPending = true;

    private boolean faultsOn = true;

    CoordinatorCluster(Scheduler scheduler, Network network, Map<String, SimulatedBank> banks) {
        this.scheduler = scheduler;
        this.raftLog = new SimulatedRaftLog(scheduler, this::majorityUp);
        SimulatedWorld world = new SimulatedWorld(scheduler, network, banks);
        this.tally = world.tally();
        int size = scheduler.chance(0.5) ? 3 : 5;
        for (int i = 0; i < size; i++) {
            nodes.add(new SimulatedCoordinator("node" + i, world, raftLog, this));
        }
        this.learnDelayMaxMillis = scheduler.between(0, LEARN_DELAY_MAX_MILLIS);
        FailoverPoint[] points = FailoverPoint.values();
        this.lossPoint = points[scheduler.random().nextInt(points.length)];
        this.lossesAtPointLeft = scheduler.random().nextInt(3);
    }

    /** Elects the first leader, before anything else happens. */
    void start() {
        elect();
    }

    int size() {
        return nodes.size();
    }

    SimulatedRaftLog raftLog() {
        return raftLog;
    }

    /** What the nodes did over the run, whichever node and leadership did it. */
    Tally tally() {
        return tally;
    }

    /** Leader losses, by the protocol points its transactions in flight had reached (each point once a loss). */
    Map<FailoverPoint, Integer> lossesByPoint() {
        return lossesByPoint;
    }

    /** The node a client sends to: the last elected, or now and then the one elected before it. */
    SimulatedCoordinator nodeForClient() {
        if (previousLeader != null && scheduler.chance(STALE_ADDRESS_CHANCE)) {
            return previousLeader;
        }
        return leader;
    }

    @Override
    public boolean recoveryPassesWanted() {
        return faultsOn;
    }

    @Override
    public void reached(SimulatedCoordinator node, FailoverPoint point) {
        if (point == lossPoint && node == leader && lossesAtPointLeft > 0 && scheduler.chance(LOSS_AT_POINT_CHANCE)) {
            lossesAtPointLeft--;
            LeaderLoss how = scheduler.chance(0.5) ? LeaderLoss.CRASH : LeaderLoss.CUT_OFF;
            // After the step under way, so the loss falls between two protocol steps.
            scheduler.after(0, () -> loseLeader(how));
        }
    }

    /** Loses the leader, if there is one to lose and faults are on. */
    void loseLeader(LeaderLoss how) {
        if (faultsOn && !electionPending && leader.isUp()) {
            leader.pointsInFlight().forEach(point -> lossesByPoint.merge(point, 1, Integer::sum));
            lose(how);
        }
    }

    private void lose(LeaderLoss how) {
        electionPending = true;
        raftLog.leaderLost();
        if (how == LeaderLoss.CRASH) {
            crash(leader);
        }
        scheduler.after(scheduler.between(ELECTION_TIMEOUT_MIN_MILLIS, ELECTION_TIMEOUT_MAX_MILLIS), this::elect);
    }

    /** Crashes a node; the leader's crash is a leader loss. */
    void crashNode(int index) {
        SimulatedCoordinator node = nodes.get(index);
        if (!faultsOn || !node.isUp()) {
            return;
        }
        if (node == leader && !electionPending) {
            loseLeader(LeaderLoss.CRASH);
        } else {
            crash(node);
        }
    }

    private void crash(SimulatedCoordinator node) {
        node.crash();
        scheduler.after(scheduler.between(NODE_DOWN_MIN_MILLIS, NODE_DOWN_MAX_MILLIS), () -> restart(node));
    }

    private void restart(SimulatedCoordinator node) {
        if (!node.isUp()) {
            node.restart();
        }
    }

    private boolean majorityUp() {
        int up = 0;
        for (SimulatedCoordinator node : nodes) {
            if (node.isUp()) {
                up++;
            }
        }
        return up > nodes.size() / 2;
    }

    /** A node that is up wins, if a majority is up to vote; every other node that led learns of it in time. */
    private void elect() {
        if (!majorityUp()) {
            scheduler.after(ELECTION_TIMEOUT_MIN_MILLIS, this::elect);
            return;
        }
        List<SimulatedCoordinator> candidates = new ArrayList<>();
        nodes.forEach(node -> {
            if (node.isUp()) {
                candidates.add(node);
            }
        });
        SimulatedCoordinator winner = candidates.get(scheduler.random().nextInt(candidates.size()));
        // The last leader's own log holds every entry not yet committed; another node's may hold only some.
        var opening = raftLog.elect(winner == leader);
        long term = raftLog.term();
        if (winner != leader) {
            previousLeader = leader;
            leader = winner;
        }
        electionPending = false;
        for (SimulatedCoordinator node : nodes) {
            if (node != winner && node.electedBefore(term)) {
                scheduler.after(scheduler.between(0, learnDelayMaxMillis), () -> learn(node, term));
            }
        }
        if (winner.electedBefore(term)) {
            winner.stepDown();
        }
        winner.lead(term, opening);
    }

    private static void learn(SimulatedCoordinator node, long term) {
        if (node.electedBefore(term)) {
            node.stepDown();
        }
    }

    /**
     * Ends the faulty period: no more losses or crashes, every node up, every node that led an older term told
     * of the current one, and no more recovery passes, so that the run can end.
     */
    void calmDown() {
        faultsOn = false;
        for (SimulatedCoordinator node : nodes) {
            restart(node);
            if (node.electedBefore(raftLog.term())) {
                node.stepDown();
            }
        }
    }

    /**
     * The leader once everything settled after the faults stopped.
     *
     * @throws AssertionError if no node leads
     */
    SimulatedCoordinator settledLeader() {
        if (electionPending || !leader.isLeading()) {
            throw new AssertionError("no node leads after the faults stopped: " + leader);
        }
        return leader;
    }

    /**
     * Crashes the leader once more after the faults stopped and every transaction ended, so that the next leader's
     * recovery finishes the run, as the periodic recovery of a real server would.
     */
    void failOverFinally() {
        lose(LeaderLoss.CRASH);
    }
}
