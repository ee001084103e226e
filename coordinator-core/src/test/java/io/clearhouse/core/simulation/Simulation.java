package io.clearhouse.core.simulation;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One seeded run: banks, a coordinator and clients in virtual time, with faults — lost, duplicated, delayed and
 * failed messages, prepare timeouts, crashes of banks and of the coordinator — then a quiet end in which every
 * bank comes back, the coordinator restarts once more (its recovery is the periodic recovery of a real server),
 * and {@link SimulationChecks} judges the result.
 */
final class Simulation {
    private static final int BANKS = 3;
    private static final int ACCOUNTS_PER_BANK = 2;
    private static final int TRANSFERS = 40;
    private static final int CLIENT_ATTEMPTS_MAX = 4;
    private static final long CLIENT_RETRY_MILLIS = 400;
    private static final long FAULTY_PERIOD_MILLIS = 1_500;
    private static final long EVENTS_MAX = 1_000_000;

    private final long seed;
    private final Scheduler scheduler;
    private final Map<String, SimulatedBank> banks = new LinkedHashMap<>();
    private final Map<String, Long> initialBalances = new LinkedHashMap<>();
    private final List<String> accounts = new ArrayList<>();
    private final Network network;
    private final SimulatedCoordinator coordinator;
    private final List<ClientReply> replies = new ArrayList<>();
    private final Map<String, List<List<Posting>>> submitted = new LinkedHashMap<>();
    private boolean faultsOn = true;

    /** A reply a client received: for which id and postings, and what it said. */
    record ClientReply(String clientId, List<Posting> postings, Outcome outcome) {}

    Simulation(long seed) {
        this.seed = seed;
        this.scheduler = new Scheduler(seed);
        openBanks();
        this.network = new Network(scheduler, banks);
        this.coordinator = new SimulatedCoordinator(scheduler, network, banks);
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
     * @param recoveredCommits prepared branches committed by recovery
     * @param recoveredRollbacks prepared branches rolled back by recovery
     * @param messagesOfSeveralBranches messages to banks that carried more than one branch
     */
    record Coverage(
            Map<String, Integer> outcomes,
            int recoveredCommits,
            int recoveredRollbacks,
            int messagesOfSeveralBranches) {}

    /**
     * Runs the seed to the end and checks it.
     *
     * @throws AssertionError naming the broken invariant
     */
    Coverage run() {
        coordinator.restart();
        for (int i = 0; i < TRANSFERS; i++) {
            scheduleClient("t" + i);
        }
        scheduleFaults();
        scheduler.after(FAULTY_PERIOD_MILLIS, this::calmDown);
        drain();
        SimulationChecks.checkSettledWithoutRecovery(banks, coordinator.currentIdPrefix(), coordinator.abandoned());
        coordinator.crash();
        coordinator.restart();
        drain();
        new SimulationChecks(banks, initialBalances, coordinator.disk().records(), replies, submitted).verify();
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        for (ClientReply reply : replies) {
            Outcome outcome = reply.outcome();
            outcomes.merge(
                    outcome.isCommitted() ? "COMMITTED" : outcome.reason().name(), 1, Integer::sum);
        }
        return new Coverage(
                outcomes,
                coordinator.recoveredCommits(),
                coordinator.recoveredRollbacks(),
                coordinator.messagesOfSeveralBranches());
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
        if (scheduler.chance(0.1)) {
            List<Posting> other = randomPostings();
            scheduler.after(scheduler.between(0, FAULTY_PERIOD_MILLIS), () -> submit(clientId, other, 1));
        }
    }

    private void submit(String clientId, List<Posting> postings, int attempt) {
        List<List<Posting>> sent = submitted.computeIfAbsent(clientId, id -> new ArrayList<>());
        if (!sent.contains(postings)) {
            sent.add(postings);
        }
        boolean[] answered = {false};
        coordinator.submit(clientId, postings, outcome -> {
            answered[0] = true;
            replies.add(new ClientReply(clientId, postings, outcome));
        });
        // A client without an answer asks again with the same id and postings, as after a timeout or a crash.
        if (attempt < CLIENT_ATTEMPTS_MAX) {
            scheduler.after(CLIENT_RETRY_MILLIS, () -> {
                if (!answered[0]) {
                    submit(clientId, postings, attempt + 1);
                }
            });
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
        int coordinatorCrashes = scheduler.random().nextInt(3);
        for (int i = 0; i < coordinatorCrashes; i++) {
            scheduler.after(scheduler.between(0, FAULTY_PERIOD_MILLIS), this::crashCoordinator);
        }
        int bankCrashes = scheduler.random().nextInt(4);
        for (int i = 0; i < bankCrashes; i++) {
            String bankId = "bank" + scheduler.random().nextInt(BANKS);
            scheduler.after(scheduler.between(0, FAULTY_PERIOD_MILLIS), () -> crashBank(bankId));
        }
    }

    private void crashCoordinator() {
        if (!faultsOn || !coordinator.isUp()) {
            return;
        }
        coordinator.crash();
        scheduler.after(scheduler.between(20, 300), this::restartCoordinatorWhenBanksAreUp);
    }

    private void restartCoordinatorWhenBanksAreUp() {
        if (coordinator.isUp()) {
            return;
        }
        if (banks.values().stream().allMatch(SimulatedBank::isUp)) {
            coordinator.restart();
        } else {
            scheduler.after(20, this::restartCoordinatorWhenBanksAreUp);
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

    /** Ends the faulty period: no more faults; every bank and the coordinator come back. */
    private void calmDown() {
        faultsOn = false;
        network.faulty(false);
        banks.values().forEach(bank -> {
            if (!bank.isUp()) {
                bank.restart();
            }
        });
        restartCoordinatorWhenBanksAreUp();
    }
}
