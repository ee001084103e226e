package io.clearhouse.core.simulation;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One seeded run: banks, a cluster of coordinator nodes over a replicated decision log, and clients, in virtual time,
 * with faults — lost, duplicated, delayed and failed messages, prepare timeouts, crashes of banks and of nodes,
 * leaders lost by crashing or by being cut off, elections — then a quiet end in which every bank and node comes
 * back, the transactions settle, the leader is lost once more so its successor's recovery finishes the run, and
 * {@link SimulationChecks} judges the result.
 */
final class Simulation {
    private static final int BANKS = 3;
    private static final int ACCOUNTS_PER_BANK = 2;
    private static final int TRANSFERS = 40;
    private static final int CLIENT_ATTEMPTS_MAX = 6;
    private static final long CLIENT_RETRY_MILLIS = 400;
    private static final long CLIENT_RETRY_AFTER_FAILURE_MAX_MILLIS = 60;
    /** How often a client asks again for an id it may already have an answer for, possibly of a later leader. */
    private static final double ASK_AGAIN_CHANCE = 0.2;

    private static final long FAULTY_PERIOD_MILLIS = 1_500;
    private static final long EVENTS_MAX = 1_000_000;

    private final long seed;
    private final Scheduler scheduler;
    private final Map<String, SimulatedBank> banks = new LinkedHashMap<>();
    private final Map<String, Long> initialBalances = new LinkedHashMap<>();
    private final List<String> accounts = new ArrayList<>();
    private final Network network;
    private final CoordinatorCluster cluster;
    private final List<ClientReply> replies = new ArrayList<>();
    private final Map<String, List<List<Posting>>> submitted = new LinkedHashMap<>();
    private boolean faultsOn = true;

    /** A reply a client received: for which id and postings, what it said, and the term of the leader that said it. */
    record ClientReply(String clientId, List<Posting> postings, Outcome outcome, long term) {}

    Simulation(long seed) {
        this.seed = seed;
        this.scheduler = new Scheduler(seed);
        openBanks();
        this.network = new Network(scheduler, banks);
        this.cluster = new CoordinatorCluster(scheduler, network, banks);
    }

    private void openBanks() {
        for (int b = 0; b < BANKS; b++) {
            String bankId = "bank" + b;
            Map<String, Long> balances = new LinkedHashMap<>();
            for (int a = 0; a < ACCOUNTS_PER_BANK; a++) {
                String account = "acc" + b + "-" + a;
                long balance = scheduler.random().nextInt(4) == 0
                        ? Long.MAX_VALUE - scheduler.between(0, 50)
                        : scheduler.between(0, 200);
                balances.put(account, balance);
                accounts.add(account);
            }
            initialBalances.putAll(balances);
            banks.put(bankId, new SimulatedBank(bankId, balances));
        }
    }

    /**
     * What one seed exercised, so the test can tell a simulation that stopped finding anything from one that finds
     * nothing wrong.
     *
     * @param outcomes how many replies clients got, by status or abort reason
     * @param recoveredCommits prepared branches committed by recovery at an OPEN
     * @param recoveredRollbacks prepared branches rolled back by recovery at an OPEN
     * @param passResolutions prepared branches resolved by the periodic recovery passes
     * @param messagesOfSeveralBranches messages to banks that carried more than one branch
     * @param leaderLossesByPoint leader losses, by the protocol points the lost leader's transactions had reached
     * @param fencedWrites entries refused because a deposed leader wrote them
     * @param keptAfterLoss entries of a lost leader that its successor committed, though their writers heard failure
     * @param truncatedAfterLoss entries of a lost leader that its successor's log did not hold
     * @param idsToldByTwoLeaders client ids whose outcome was told by the leaders of two terms or more
     */
    record Coverage(
            Map<String, Integer> outcomes,
            int recoveredCommits,
            int recoveredRollbacks,
            int passResolutions,
            int messagesOfSeveralBranches,
            Map<FailoverPoint, Integer> leaderLossesByPoint,
            int fencedWrites,
            int keptAfterLoss,
            int truncatedAfterLoss,
            int idsToldByTwoLeaders) {
        static Coverage none() {
            return new Coverage(Map.of(), 0, 0, 0, 0, Map.of(), 0, 0, 0, 0);
        }

        Coverage plus(Coverage other) {
            Map<String, Integer> allOutcomes = new HashMap<>(outcomes);
            other.outcomes.forEach((outcome, count) -> allOutcomes.merge(outcome, count, Integer::sum));
            Map<FailoverPoint, Integer> allLosses = new EnumMap<>(FailoverPoint.class);
            allLosses.putAll(leaderLossesByPoint);
            other.leaderLossesByPoint.forEach((point, count) -> allLosses.merge(point, count, Integer::sum));
            return new Coverage(
                    allOutcomes,
                    recoveredCommits + other.recoveredCommits,
                    recoveredRollbacks + other.recoveredRollbacks,
                    passResolutions + other.passResolutions,
                    messagesOfSeveralBranches + other.messagesOfSeveralBranches,
                    allLosses,
                    fencedWrites + other.fencedWrites,
                    keptAfterLoss + other.keptAfterLoss,
                    truncatedAfterLoss + other.truncatedAfterLoss,
                    idsToldByTwoLeaders + other.idsToldByTwoLeaders);
        }
    }

    /**
     * Runs the seed to the end and checks it.
     *
     * @throws AssertionError naming the broken invariant
     */
    Coverage run() {
        cluster.start();
        for (int i = 0; i < TRANSFERS; i++) {
            scheduleClient("t" + i);
        }
        scheduleFaults();
        scheduler.after(FAULTY_PERIOD_MILLIS, this::calmDown);
        drain();
        SimulatedCoordinator leader = cluster.settledLeader();
        Tally tally = cluster.tally();
        SimulationChecks.checkOwnBranchesSettled(
                banks, leader.currentIdPrefix(), Set.of(), tally.abandoned, tally.released);
        cluster.failOverFinally();
        drain();
        SimulatedDecisionState log = cluster.raftLog().state();
        new SimulationChecks(banks, initialBalances, log, replies, submitted).verify();
        return coverage(log);
    }

    private Coverage coverage(SimulatedDecisionState log) {
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        Map<String, Set<Long>> termsByClientId = new HashMap<>();
        for (ClientReply reply : replies) {
            Outcome outcome = reply.outcome();
            outcomes.merge(
                    outcome.isCommitted() ? "COMMITTED" : outcome.reason().name(), 1, Integer::sum);
            termsByClientId
                    .computeIfAbsent(reply.clientId(), id -> new HashSet<>())
                    .add(reply.term());
        }
        Tally tally = cluster.tally();
        return new Coverage(
                outcomes,
                tally.recoveredCommits,
                tally.recoveredRollbacks,
                tally.passResolutions,
                tally.messagesOfSeveralBranches,
                cluster.lossesByPoint(),
                (int) log.history().stream().filter(entry -> !entry.accepted()).count(),
                cluster.raftLog().keptAfterLoss(),
                cluster.raftLog().truncatedAfterLoss(),
                (int) termsByClientId.values().stream()
                        .filter(terms -> terms.size() > 1)
                        .count());
    }

    private void drain() {
        long events = 0;
        while (scheduler.runNext()) {
            if (++events > EVENTS_MAX) {
                throw new AssertionError("seed " + seed + " did not settle after " + EVENTS_MAX + " events");
            }
        }
    }

    private void scheduleClient(String clientId) {
        List<Posting> postings = randomPostings();
        scheduler.after(scheduler.between(0, FAULTY_PERIOD_MILLIS / 2), () -> submit(clientId, postings, 1));
        if (scheduler.chance(ASK_AGAIN_CHANCE)) {
            scheduler.after(
                    scheduler.between(FAULTY_PERIOD_MILLIS / 2, FAULTY_PERIOD_MILLIS),
                    () -> submit(clientId, postings, 1));
        }
        if (scheduler.chance(0.1)) {
            List<Posting> other = randomPostings();
            scheduler.after(scheduler.between(0, FAULTY_PERIOD_MILLIS), () -> submit(clientId, other, 1));
        }
    }

    /**
     * Sends the request to the node the client takes for the leader. Without an answer it asks again with the same
     * id and postings, as after a timeout or a crash; after a failure it asks again soon, wherever the leader is now.
     */
    private void submit(String clientId, List<Posting> postings, int attempt) {
        List<List<Posting>> sent = submitted.computeIfAbsent(clientId, id -> new ArrayList<>());
        if (!sent.contains(postings)) {
            sent.add(postings);
        }
        SimulatedCoordinator node = cluster.nodeForClient();
        long term = node.term();
        boolean[] heard = {false};
        node.submit(clientId, postings, new SimulatedCoordinator.Client() {
            @Override
            public void told(Outcome outcome) {
                heard[0] = true;
                replies.add(new ClientReply(clientId, postings, outcome, term));
            }

            @Override
            public void failed() {
                heard[0] = true;
                askAgain(clientId, postings, attempt, scheduler.between(1, CLIENT_RETRY_AFTER_FAILURE_MAX_MILLIS));
            }
        });
        scheduler.after(CLIENT_RETRY_MILLIS, () -> {
            if (!heard[0]) {
                askAgain(clientId, postings, attempt, 0);
            }
        });
    }

    private void askAgain(String clientId, List<Posting> postings, int attempt, long delayMillis) {
        if (attempt < CLIENT_ATTEMPTS_MAX) {
            scheduler.after(delayMillis, () -> submit(clientId, postings, attempt + 1));
        }
    }

    private List<Posting> randomPostings() {
        String from = accounts.get(scheduler.random().nextInt(accounts.size()));
        String to = accounts.get(scheduler.random().nextInt(accounts.size()));
        if (to.equals(from) && scheduler.chance(0.8)) {
            to = accounts.get((accounts.indexOf(from) + 1) % accounts.size());
        }
        if (scheduler.chance(0.05)) {
            to = "nowhere";
        }
        long amount = scheduler.chance(0.1) ? scheduler.between(1, 1_000) : scheduler.between(1, 60);
        if (amount > 1 && scheduler.chance(0.15)) {
            String third = accounts.get(scheduler.random().nextInt(accounts.size()));
            long split = scheduler.between(1, amount - 1);
            return List.of(new Posting(from, -amount), new Posting(to, amount - split), new Posting(third, split));
        }
        return List.of(new Posting(from, -amount), new Posting(to, amount));
    }

    private void scheduleFaults() {
        int leaderLosses = scheduler.random().nextInt(4);
        for (int i = 0; i < leaderLosses; i++) {
            CoordinatorCluster.LeaderLoss how =
                    scheduler.chance(0.5) ? CoordinatorCluster.LeaderLoss.CRASH : CoordinatorCluster.LeaderLoss.CUT_OFF;
            scheduler.after(scheduler.between(0, FAULTY_PERIOD_MILLIS), () -> cluster.loseLeader(how));
        }
        int nodeCrashes = scheduler.random().nextInt(3);
        for (int i = 0; i < nodeCrashes; i++) {
            int node = scheduler.random().nextInt(cluster.size());
            scheduler.after(scheduler.between(0, FAULTY_PERIOD_MILLIS), () -> cluster.crashNode(node));
        }
        int bankCrashes = scheduler.random().nextInt(4);
        for (int i = 0; i < bankCrashes; i++) {
            String bankId = "bank" + scheduler.random().nextInt(BANKS);
            scheduler.after(scheduler.between(0, FAULTY_PERIOD_MILLIS), () -> crashBank(bankId));
        }
    }

    private void crashBank(String bankId) {
        SimulatedBank bank = banks.get(bankId);
        if (!faultsOn || !bank.isUp()) {
            return;
        }
        bank.crash();
        scheduler.after(scheduler.between(10, 250), bank::restart);
    }

    /** Ends the faulty period: no more faults; every bank and node comes back. */
    private void calmDown() {
        faultsOn = false;
        network.faulty(false);
        banks.values().forEach(bank -> {
            if (!bank.isUp()) {
                bank.restart();
            }
        });
        cluster.calmDown();
    }
}
