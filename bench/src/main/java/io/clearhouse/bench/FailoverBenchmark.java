package io.clearhouse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;

/**
 * How long a cluster takes to commit again after its leader dies: {@code ./clearhouse cluster --nodes 3} on free
 * ports in a fresh data directory under a light steady load ({@link FailoverLoad}), and for each trial the leader's
 * process (its pid from {@code GET /api/cluster}) killed with SIGKILL. A trial measures from the kill to the first
 * transfer committed by another node for a request sent after the kill, split into kill to a survivor seen leading
 * in a newer term, to it seen coordinating, to that first commit ({@link ElectionWatch}); the new leader's own log
 * gives when it saw itself lead and when its coordinator opened. The command starts the killed node again; the next
 * trial waits until every node answers and the load has run {@code --settle-seconds} more. At the end the load
 * stops, one recovery pass runs, and the posted balances must add up to the opening ones.
 */
public final class FailoverBenchmark {
    static final Map<String, String> DEFAULTS = Arguments.defaults(
            "trials", "20",
            "nodes", "3",
            "clients", "4",
            "banks", "8",
            "accounts-per-bank", "100",
            "balance", "1000000000000",
            "settle-seconds", "5",
            "port", "18600",
            "restart-delay-seconds", "2",
            "poll-millis", "10",
            "retry-pause-millis", "10",
            "request-timeout-millis", "2000",
            "commit-timeout-seconds", "60",
            "rejoin-timeout-seconds", "300",
            "ready-timeout-seconds", "900",
            "root", "..",
            "dir", "target/bench-data/failover");

    private static final Duration HEALTH_POLL = Duration.ofMillis(500);
    private static final int RAFT_PORT_OFFSET = 1000;
    private static final int FAILURES_IN_A_ROW_MAX = 3;

    private final Arguments arguments;
    private final ClusterHttp http;
    private final Path directory;

    private FailoverBenchmark(Arguments arguments) {
        this.arguments = arguments;
        this.directory = arguments.path("dir").toAbsolutePath();
        this.http = new ClusterHttp(
                Duration.ofMillis(arguments.longInteger("request-timeout-millis")),
                () -> BenchTokens.signedFor(directory.resolve("cluster")));
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Arguments arguments = Arguments.parse(args, DEFAULTS);
        System.out.println("fail-over: " + arguments.describe());
        System.out.println(Machine.describe());
        new FailoverBenchmark(arguments).run();
    }

    /**
     * One trial's moments, in nanoseconds of {@link System#nanoTime()} and milliseconds of the wall clock.
     *
     * @param logLeadsMillis when the new leader's log says it leads, after the kill, in ms (-1 if not found)
     * @param logCoordinatesMillis when its log says it coordinates, after the kill, in ms (-1 if not found)
     */
    record Trial(
            int number,
            String killedId,
            long killedPid,
            long termBefore,
            ElectionWatch.Seen seen,
            FailoverLoad.FirstCommit firstCommit,
            long killNanos,
            long logLeadsMillis,
            long logCoordinatesMillis,
            long rejoinNanos,
            long otherHeavyProcesses,
            String openingSteps) {
        boolean quiet() {
            return otherHeavyProcesses == 0;
        }

        long totalMicros() {
            return (firstCommit.receivedNanos() - killNanos) / 1000;
        }

        long electedMicros() {
            return (seen.electedNanos() - killNanos) / 1000;
        }

        long coordinatingMicros() {
            return (seen.coordinatingNanos() - seen.electedNanos()) / 1000;
        }

        long firstCommitMicros() {
            return (firstCommit.receivedNanos() - seen.coordinatingNanos()) / 1000;
        }
    }

    private void run() throws IOException, InterruptedException {
        EmbeddedSetup.deleteRecursively(directory);
        Files.createDirectories(directory);
        Path state = writeState();
        int port = freePorts(arguments.integer("port"), arguments.integer("nodes"));
        try (ClusterCommandProcess cluster = ClusterCommandProcess.start(
                arguments.path("root").toAbsolutePath(), clusterArguments(state, port), directory)) {
            URI leader = cluster.awaitReady(Duration.ofSeconds(arguments.longInteger("ready-timeout-seconds")));
            List<URI> nodes = new ArrayList<>(cluster.nodeUrls().values());
            System.out.println("cluster ready, leader " + leader + ", nodes " + nodes);
            FailoverLoad load = new FailoverLoad(
                    http,
                    nodes,
                    leader,
                    arguments.integer("banks"),
                    arguments.integer("accounts-per-bank"),
                    arguments.longInteger("retry-pause-millis"));
            load.start(arguments.integer("clients"));
            List<Trial> trials = new ArrayList<>();
            int failed = 0;
            try {
                failed = runTrials(cluster, load, nodes, trials);
            } finally {
                load.close();
                System.out.println("load: " + load.counts());
            }
            System.out.println(
                    failed + " of " + (trials.size() + failed) + " trials saw no commit after the kill within "
                            + commitTimeout() + " or did not get every node back");
            printSummary("every trial", trials);
            printSummary(
                    "trials on a quiet machine",
                    trials.stream().filter(Trial::quiet).toList());
            System.out.println(checkMoney(nodes));
        }
    }

    /** Runs the trials, going on after a failed one unless {@link #FAILURES_IN_A_ROW_MAX} fail in a row. */
    private int runTrials(ClusterCommandProcess cluster, FailoverLoad load, List<URI> nodes, List<Trial> trials)
            throws IOException, InterruptedException {
        int failed = 0;
        int failedInARow = 0;
        for (int number = 1; number <= arguments.integer("trials") && failedInARow < FAILURES_IN_A_ROW_MAX; number++) {
            try {
                Trial trial = runTrial(number, cluster, load, nodes);
                System.out.println(describe(trial));
                trials.add(trial);
                failedInARow = 0;
            } catch (IllegalStateException e) {
                // No commit, or a node that did not come back: the next trial waits until the cluster is whole again.
                System.out.println("trial " + number + " failed: " + e.getMessage()
                        + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
                failed++;
                failedInARow++;
            }
        }
        return failed;
    }

    private List<String> clusterArguments(Path state, int port) {
        return List.of(
                "--nodes", arguments.text("nodes"),
                "--initial-state", state.toString(),
                "--port", Integer.toString(port),
                "--raft-port", Integer.toString(port + RAFT_PORT_OFFSET),
                "--data-dir", directory.resolve("cluster").toString(),
                "--restart-delay-seconds", arguments.text("restart-delay-seconds"));
    }

    private Path writeState() throws IOException {
        Map<String, Map<String, Long>> state = new LinkedHashMap<>();
        for (int bank = 0; bank < arguments.integer("banks"); bank++) {
            Map<String, Long> balances = new LinkedHashMap<>();
            for (int account = 0; account < arguments.integer("accounts-per-bank"); account++) {
                balances.put(CrossBankTransfers.accountId(bank, account), arguments.longInteger("balance"));
            }
            state.put(CrossBankTransfers.bankId(bank), balances);
        }
        Path file = directory.resolve("state.json");
        new ObjectMapper().writeValue(file.toFile(), state);
        return file;
    }

    private Trial runTrial(int number, ClusterCommandProcess cluster, FailoverLoad load, List<URI> nodes)
            throws IOException, InterruptedException {
        ClusterHttp.View view = awaitHealthy(nodes);
        TimeUnit.SECONDS.sleep(arguments.longInteger("settle-seconds"));
        view = awaitHealthy(nodes);
        ClusterHttp.Node leader = view.leaderNode().orElseThrow();
        long pid = leader.pid().orElseThrow();
        if (!cluster.started(pid)) {
            throw new IllegalStateException("the leader's pid " + pid + " is not a process the cluster started");
        }
        long termBefore = http.self(leader.url()).term();
        List<URI> survivors =
                nodes.stream().filter(node -> !node.equals(leader.url())).toList();
        try (ElectionWatch watch =
                new ElectionWatch(http, survivors, termBefore, Duration.ofMillis(arguments.integer("poll-millis")))) {
            watch.start();
            long others = cluster.otherHeavyProcesses();
            long killMillis = System.currentTimeMillis();
            long killNanos = System.nanoTime();
            var firstCommit = load.firstCommitAfter(leader.url(), killNanos);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            ElectionWatch.Seen seen = watch.awaitCoordinating(commitTimeout());
            FailoverLoad.FirstCommit first = await(firstCommit, "commit after the kill");
            others = Math.max(others, cluster.otherHeavyProcesses());
            long rejoinNanos = awaitRejoined(seen, leader, pid) - killNanos;
            return new Trial(
                    number,
                    leader.id(),
                    pid,
                    termBefore,
                    seen,
                    first,
                    killNanos,
                    logMoment(seen, "leads", killMillis),
                    logMoment(seen, "coordinates", killMillis),
                    rejoinNanos,
                    others,
                    LeadershipLog.openingSteps(serverLog(seen), seen.term()).orElse("not logged"));
        }
    }

    private Duration commitTimeout() {
        return Duration.ofSeconds(arguments.longInteger("commit-timeout-seconds"));
    }

    private <T> T await(CompletableFuture<T> future, String what) throws InterruptedException {
        try {
            return future.get(commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no " + what + " within " + commitTimeout(), e);
        }
    }

    /** Waits until every node answers, one leads and coordinates; returns the view that showed it. */
    private ClusterHttp.View awaitHealthy(List<URI> nodes) throws InterruptedException {
        long deadline = System.nanoTime() + rejoinTimeout().toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (URI node : nodes) {
                try {
                    ClusterHttp.View view = http.cluster(node);
                    if (view.everyNodeReachable()
                            && view.leader().isPresent()
                            && http.self(view.leader().get()).coordinating()) {
                        return view;
                    }
                    last = view.toString();
                } catch (IOException e) {
                    last = e.toString();
                }
            }
            TimeUnit.MILLISECONDS.sleep(HEALTH_POLL.toMillis());
        }
        throw new IllegalStateException("the cluster was not whole within " + rejoinTimeout() + "; last: " + last);
    }

    /** Waits until the killed node answers again with a new pid; returns when it was seen. */
    private long awaitRejoined(ElectionWatch.Seen seen, ClusterHttp.Node killed, long killedPid)
            throws InterruptedException {
        long deadline = System.nanoTime() + rejoinTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            try {
                ClusterHttp.Self self = http.self(killed.url());
                if (self.pid() != killedPid) {
                    return System.nanoTime();
                }
            } catch (IOException e) {
                // Not back yet.
            }
            TimeUnit.MILLISECONDS.sleep(HEALTH_POLL.toMillis());
        }
        throw new IllegalStateException("node " + killed.id() + " was not back within " + rejoinTimeout() + " (node "
                + seen.leaderId() + " leads)");
    }

    private Duration rejoinTimeout() {
        return Duration.ofSeconds(arguments.longInteger("rejoin-timeout-seconds"));
    }

    /** When the new leader's log says it {@code leads} or {@code coordinates} in its term, after the kill in ms. */
    private Path serverLog(ElectionWatch.Seen seen) {
        return directory.resolve("cluster").resolve("node-" + seen.leaderId()).resolve("server.log");
    }

    private long logMoment(ElectionWatch.Seen seen, String verb, long killMillis) {
        return LeadershipLog.momentMillis(serverLog(seen), seen.leaderId(), verb, seen.term()).stream()
                .map(moment -> moment - killMillis)
                .findFirst()
                .orElse(-1L);
    }

    private static String describe(Trial trial) {
        return String.format(
                "trial %d: killed node %s (pid %d, term %d); node %s leads in term %d: first commit after %.0f ms"
                        + " (elected +%.0f, coordinating +%.0f, first commit +%.0f) via %s; its log: leads +%d ms,"
                        + " coordinates +%d ms (opening: %s); node %s back after %.1f s; %s",
                trial.number(),
                trial.killedId(),
                trial.killedPid(),
                trial.termBefore(),
                trial.seen().leaderId(),
                trial.seen().term(),
                trial.totalMicros() / 1000.0,
                trial.electedMicros() / 1000.0,
                trial.coordinatingMicros() / 1000.0,
                trial.firstCommitMicros() / 1000.0,
                trial.firstCommit().node(),
                trial.logLeadsMillis(),
                trial.logCoordinatesMillis(),
                trial.openingSteps(),
                trial.killedId(),
                trial.rejoinNanos() / 1e9,
                trial.quiet()
                        ? "machine quiet"
                        : trial.otherHeavyProcesses() + " processes of others' servers and tests running");
    }

    private static void printSummary(String which, List<Trial> trials) {
        System.out.println();
        System.out.println("fail-over, " + which + " (" + trials.size() + "), ms (median / p90 / max):");
        System.out.println("  kill -> first commit by the new leader: " + stats(trials, Trial::totalMicros));
        System.out.println("  kill -> a survivor leads:               " + stats(trials, Trial::electedMicros));
        System.out.println("  leads -> coordinates:                   " + stats(trials, Trial::coordinatingMicros));
        System.out.println("  coordinates -> first commit:            " + stats(trials, Trial::firstCommitMicros));
        System.out.println(
                "  kill -> its log says it leads:          " + stats(trials, t -> t.logLeadsMillis() * 1000));
        System.out.println(
                "  kill -> its log says it coordinates:    " + stats(trials, t -> t.logCoordinatesMillis() * 1000));
    }

    /** Median (mean of the middle two for an even count), p90 (nearest rank) and maximum, in ms. */
    static String stats(List<Trial> trials, ToLongFunction<Trial> micros) {
        long[] sorted = trials.stream().mapToLong(micros).sorted().toArray();
        if (sorted.length == 0) {
            return "no trials";
        }
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        long p90 = sorted[(int) Math.ceil(0.9 * n) - 1];
        return String.format("%.0f / %.0f / %.0f", median / 1000.0, p90 / 1000.0, sorted[n - 1] / 1000.0);
    }

    /** After one recovery pass on the leader, the posted balances must add up to the opening ones. */
    private String checkMoney(List<URI> nodes) throws InterruptedException {
        long expected =
                arguments.longInteger("balance") * arguments.integer("banks") * arguments.integer("accounts-per-bank");
        try {
            URI leader = awaitHealthy(nodes).leader().orElseThrow();
            http.recoveryPass(leader);
            long held = http.moneyHeld(leader);
            return held == expected
                    ? "money conserved: the balances add up to " + expected
                    : "MONEY NOT CONSERVED: the balances add up to " + held + ", not " + expected;
        } catch (IOException e) {
            return "money not checked: " + e;
        }
    }

    /** The first API port from {@code from} on at which the nodes' API and Raft ports are all free. */
    private static int freePorts(int from, int nodes) {
        for (int base = from; base < from + 200; base += nodes) {
            boolean free = true;
            for (int node = 0; node < nodes && free; node++) {
                free = isFree(base + node) && isFree(base + RAFT_PORT_OFFSET + node);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free ports for " + nodes + " nodes from " + from);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
