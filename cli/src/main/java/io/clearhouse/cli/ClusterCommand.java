package io.clearhouse.cli;

import io.clearhouse.auth.Role;
import io.clearhouse.bankserver.BankServerProcess;
import io.clearhouse.bankserver.StopSignals;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs a cluster on this machine: {@code --nodes} Payara Micro nodes with the WAR and the Raft decision log, one
 * Raft group, and, unless a banks file is given, one bank server holding the banks that every node reaches as
 * {@code remote} banks. The leader coordinates; a node whose process ends is started again and rejoins from its
 * storage. Ctrl-C or SIGTERM stops the nodes, all at once, then the bank server, and the command ends with 0; the same
 * command later comes back with the same group, the same banks and every decision.
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Runs a Clearhouse cluster on this machine: several nodes (Payara Micro, Raft decision log) and a"
                + " bank server; restarts a node that ends. 3 nodes survive the loss of 1, 5 the loss of 2.")
final class ClusterCommand implements Callable<Integer> {
    static final String NODE_JVM_OPTIONS_VARIABLE = "CLEARHOUSE_NODE_JAVA_OPTS";
    /** Every node's API and Raft addresses are on this machine's loopback address. */
    static final String HOST = "127.0.0.1";

    static final int RAFT_PORT_OFFSET = 1000;
    private static final int LOG_TAIL_LINES = 20;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** How long a node's supervisor may take to end beyond the stop timeout: an answer it waits for, a kill. */
    private static final Duration SUPERVISOR_END_MARGIN = Duration.ofSeconds(30);
    /** The bank server serves every node's banks: a fixed heap, so that its size is not the machine's. */
    private static final List<String> BANK_SERVER_JVM_OPTIONS =
            List.of("-Xmx512m", "-XX:+UseParallelGC", "-XX:-UsePerfData");

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--nodes",
            defaultValue = "3",
            paramLabel = "N",
            description = "Number of nodes, 1.." + ClusterLayout.NODES_MAX + "; 3 survive the loss of one, 5 of two"
                    + " (default: ${DEFAULT-VALUE}).")
    private int nodes;

    @Option(
            names = "--initial-state",
            paramLabel = "STATE.json",
            description = "Banks and opening balances for the bank server; they count on its first start only.")
    private Path initialState;

    @Option(
            names = "--banks-file",
            paramLabel = "BANKS.json",
            description = "Runs the nodes over the banks of this file (remote banks, say) instead of a bank server of"
                    + " its own; kept in the data directory for later starts.")
    private Path banksFile;

    @Option(
            names = "--port",
            defaultValue = "8080",
            paramLabel = "PORT",
            description = "Node 1's HTTP port; node N gets this + N - 1 (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--raft-port",
            paramLabel = "PORT",
            description = "Node 1's Raft port; node N gets this + N - 1 (default: --port + " + RAFT_PORT_OFFSET + ").")
    private Optional<Integer> raftPort;

    @Mixin
    private MetricsOpenApiRoleOption metricsOpenApiRoleOption;

    /** The role of {@link #metricsOpenApiRoleOption}, once the options are checked. */
    private Optional<Role> metricsOpenApiRole = Optional.empty();

    @Option(
            names = "--data-dir",
            defaultValue = "./cluster-data",
            paramLabel = "DIR",
            description = "Where the nodes' Raft storage, the bank server's data and the logs live (default:"
                    + " ${DEFAULT-VALUE}).")
    private Path dataDirectory;

    @Option(
            names = "--restart-delay-seconds",
            defaultValue = "2",
            paramLabel = "SECONDS",
            description = "How long to wait before starting a node whose process ended (default: ${DEFAULT-VALUE}).")
    private long restartDelaySeconds;

    @Option(
            names = "--ready-timeout-seconds",
            defaultValue = "600",
            paramLabel = "SECONDS",
            description = "How long the cluster may take to have every node up and a leader (default:"
                    + " ${DEFAULT-VALUE}).")
    private long readyTimeoutSeconds;

    @Option(
            names = "--stop-timeout-seconds",
            defaultValue = "60",
            paramLabel = "SECONDS",
            description = "How long a node may take to stop before it is killed (default: ${DEFAULT-VALUE}).")
    private long stopTimeoutSeconds;

    private Optional<BankServerProcess> bankServer = Optional.empty();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ClusterConsole console = new ClusterConsole(spec.commandLine().getOut(), err);
        ClusterLayout layout = new ClusterLayout(dataDirectory);
        try {
            checkOptions();
            Optional<InitialState> state =
                    initialState == null ? Optional.empty() : Optional.of(InitialStateReader.read(initialState));
            Files.createDirectories(layout.root());
            try (DataDirectoryLock lock = DataDirectoryLock.take(layout.lock(), layout.root(), "cluster")) {
                stopLeftovers(layout, console);
                checkPortsAreFree();
                Optional<ClusterSettings> kept = ClusterSettings.read(layout.settings());
                checkNodeCount(layout, kept);
                Optional<InitialState> bankServerState = prepareBanks(layout, kept, state);
                ClusterSettings settings = settings(kept, bankServerState);
                settings.write(layout.settings());
                return run(layout, settings, bankServerState, console);
            }
        } catch (InputFileException e) {
            return refuse(err, e.getMessage());
        }
    }

    private void checkOptions() throws InputFileException {
        if (initialState != null && banksFile != null) {
            throw optionProblem("--banks-file", "excludes --initial-state: the banks come from one or the other");
        }
        if (nodes < 1 || nodes > ClusterLayout.NODES_MAX) {
            throw optionProblem(
                    "--nodes",
                    "must be in 1.." + ClusterLayout.NODES_MAX + " (3 survive the loss of"
                            + " one node, 5 of two), not " + nodes);
        }
        checkPortRange("--port", port);
        checkPortRange("--raft-port", raftPort());
        if (port < raftPort() + nodes && raftPort() < port + nodes) {
            throw optionProblem(
                    "--raft-port", "the Raft ports " + range(raftPort()) + " overlap the API ports " + range(port));
        }
        if (restartDelaySeconds < 0) {
            throw optionProblem("--restart-delay-seconds", "must be at least 0, not " + restartDelaySeconds);
        }
        if (readyTimeoutSeconds < 1) {
            throw optionProblem("--ready-timeout-seconds", "must be at least 1, not " + readyTimeoutSeconds);
        }
        if (stopTimeoutSeconds < 1) {
            throw optionProblem("--stop-timeout-seconds", "must be at least 1, not " + stopTimeoutSeconds);
        }
        metricsOpenApiRole = metricsOpenApiRoleOption.role();
    }

    private void checkPortRange(String option, int first) throws InputFileException {
        if (first < 1 || first + nodes - 1 > 65_535) {
            throw optionProblem(option, "the nodes' ports " + range(first) + " must lie in 1..65535");
        }
    }

    private String range(int first) {
        return nodes == 1 ? Integer.toString(first) : first + ".." + (first + nodes - 1);
    }

    private int raftPort() {
        return raftPort.orElse(port + RAFT_PORT_OFFSET);
    }

    private void checkPortsAreFree() throws InputFileException {
        for (int node = 1; node <= nodes; node++) {
            checkPortIsFree("--port", port + node - 1, "node " + node + "'s API port");
            checkPortIsFree("--raft-port", raftPort() + node - 1, "node " + node + "'s Raft port");
        }
    }

    private static void checkPortIsFree(String option, int port, String role) throws InputFileException {
        if (!PayaraMicroServer.isPortFree(port)) {
            throw optionProblem(option, "port " + port + " (" + role + ") is in use");
        }
    }

    /** A data directory's Raft storage belongs to a group of a fixed size. */
    private void checkNodeCount(ClusterLayout layout, Optional<ClusterSettings> kept) throws InputFileException {
        if (kept.isPresent() && kept.get().nodes() != nodes) {
            throw new InputFileException(
                    "data directory",
                    layout.root(),
                    "holds a cluster of " + kept.get().nodes() + " nodes; --nodes " + nodes
                            + " needs another data directory");
        }
    }

    /**
     * Stops what an earlier {@code cluster} left running when only it was killed: its nodes hold their Raft storage
     * and ports, its bank server the banks' log, and nothing would ever stop them otherwise.
     */
    private void stopLeftovers(ClusterLayout layout, ClusterConsole console) throws InterruptedException {
        List<ProcessHandle> leftovers = new ArrayList<>(ClusterNodeProcess.leftovers(layout));
        leftovers.addAll(PayaraMicroServer.processesNaming(layout.bankServer()));
        for (ProcessHandle leftover : leftovers) {
            console.note("stopping process " + leftover.pid() + ", which an earlier cluster left running on "
                    + layout.root());
        }
        PayaraMicroServer.stopAll(leftovers, Duration.ofSeconds(stopTimeoutSeconds));
    }

    /**
     * Puts the nodes' banks file in place, or the state the bank server starts from, whose banks are returned: a
     * banks file given now, or a state file given now, or what an earlier start kept, or on the very first start the
     * demo banks.
     */
    private Optional<InitialState> prepareBanks(
            ClusterLayout layout, Optional<ClusterSettings> kept, Optional<InitialState> state)
            throws IOException, InputFileException {
        if (banksFile != null) {
            ServeFiles.copyBanksFile(layout.banksFile(), banksFile);
            return Optional.empty();
        }
        if (state.isPresent()) {
            ServeFiles.copyFile(initialState, layout.bankServerState());
            return state;
        }
        boolean keptBanksFile = kept.map(settings -> settings.banks() == ClusterSettings.BanksSource.BANKS_FILE)
                .orElse(false);
        if (keptBanksFile && Files.exists(layout.banksFile())) {
            return Optional.empty();
        }
        if (!Files.exists(layout.bankServerState())) {
            Path demo = Path.of(System.getProperty(ServeCommand.DEMO_STATE_PROPERTY, "examples/state.json"));
            InitialStateReader.read(demo);
            ServeFiles.copyFile(demo, layout.bankServerState());
        }
        return Optional.of(InitialStateReader.read(layout.bankServerState()));
    }

    private ClusterSettings settings(Optional<ClusterSettings> kept, Optional<InitialState> bankServerState) {
        ClusterSettings settings = kept.orElseGet(() -> new ClusterSettings(
                UUID.randomUUID(), nodes, ClusterSettings.BanksSource.BANK_SERVER, OptionalInt.empty()));
        return settings.withBanks(
                bankServerState.isPresent()
                        ? ClusterSettings.BanksSource.BANK_SERVER
                        : ClusterSettings.BanksSource.BANKS_FILE);
    }

    /** Starts the bank server, then the nodes; stops them in the opposite order, whatever ends the run. */
    private int run(
            ClusterLayout layout,
            ClusterSettings settings,
            Optional<InitialState> bankServerState,
            ClusterConsole console)
            throws IOException, InterruptedException {
        StopSignals stop = StopSignals.install();
        CompletableFuture<String> shutdown = new CompletableFuture<>();
        stop.requested().thenAccept(signal -> {
            console.note(signal + ", stopping");
            shutdown.complete(signal);
        });
        List<Thread> threads = new ArrayList<>();
        List<ClusterNodeSupervisor> supervisors = new ArrayList<>();
        try {
            if (bankServerState.isPresent()) {
                startBankServer(layout, settings, bankServerState.get(), console);
                if (bankServer.isEmpty()) {
                    return exitCode(stop, BatchCommand.EXIT_FAILED);
                }
            }
            supervisors.addAll(startNodes(plan(layout, settings), shutdown, console, threads));
            if (!awaitClusterReady(supervisors, shutdown, console)) {
                return exitCode(stop, BatchCommand.EXIT_FAILED);
            }
            watchBankServerUntil(shutdown, console);
            return BatchCommand.EXIT_OK;
        } finally {
            shutdown.complete("the end of the run");
            awaitSupervisors(threads, supervisors);
            stopBankServer(console);
        }
    }

    private static int exitCode(StopSignals stop, int otherwise) {
        return stop.isRequested() ? BatchCommand.EXIT_OK : otherwise;
    }

    private ClusterPlan plan(ClusterLayout layout, ClusterSettings settings) {
        return new ClusterPlan(
                layout,
                nodes,
                HOST,
                port,
                raftPort(),
                settings.groupId(),
                layout.banksFile(),
                nodeJvmOptions(),
                metricsOpenApiRole);
    }

    /**
     * Starts the bank server on the port an earlier start used (or a free one), records the port, and writes the
     * nodes' banks file with its URL.
     */
    private void startBankServer(
            ClusterLayout layout, ClusterSettings settings, InitialState state, ClusterConsole console)
            throws IOException {
        int serverPort = settings.bankServerPort().orElse(0);
        if (serverPort != 0 && !PayaraMicroServer.isPortFree(serverPort)) {
            console.note("the bank server's port " + serverPort + " is in use; it takes a free one");
            serverPort = 0;
        }
        try {
            bankServer = Optional.of(BankServerProcess.start(
                    BANK_SERVER_JVM_OPTIONS,
                    List.of(
                            "--initial-state", layout.bankServerState().toString(),
                            "--data-dir", layout.bankServer().toString(),
                            "--port", Integer.toString(serverPort))));
        } catch (IllegalStateException e) {
            console.note("the bank server did not start: " + e.getMessage());
            return;
        }
        settings.withBankServerPort(bankServer.get().url().getPort()).write(layout.settings());
        ServeFiles.writeRemoteBanksFile(
                layout.banksFile(), state, bankServer.get().url());
    }

    private List<ClusterNodeSupervisor> startNodes(
            ClusterPlan plan, CompletableFuture<String> shutdown, ClusterConsole console, List<Thread> threads) {
        ClusterNodeSupervisor.Timing timing = new ClusterNodeSupervisor.Timing(
                Duration.ofSeconds(restartDelaySeconds),
                Duration.ofSeconds(readyTimeoutSeconds),
                Duration.ofSeconds(stopTimeoutSeconds));
        List<ClusterNodeSupervisor> supervisors = new ArrayList<>();
        for (int node = 1; node <= plan.nodes(); node++) {
            ClusterNodeSupervisor supervisor = new ClusterNodeSupervisor(plan.node(node), timing, shutdown, console);
            Thread thread = new Thread(supervisor, "node-" + node + "-supervisor");
            threads.add(thread);
            supervisors.add(supervisor);
            thread.start();
        }
        return supervisors;
    }

    /**
     * Waits until every node has been ready once, then until one of them is the leader and coordinates, and prints
     * the cluster's ready line.
     *
     * @return false if a stop came first or the ready timeout passed (said on standard error, with the logs' ends)
     */
    private boolean awaitClusterReady(
            List<ClusterNodeSupervisor> supervisors, CompletableFuture<String> shutdown, ClusterConsole console)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(readyTimeoutSeconds);
        CompletableFuture<Void> everyNodeReady = CompletableFuture.allOf(
                supervisors.stream().map(ClusterNodeSupervisor::firstReady).toArray(CompletableFuture[]::new));
        awaitEither(everyNodeReady, shutdown, deadline);
        while (everyNodeReady.isDone() && !shutdown.isDone() && System.nanoTime() < deadline) {
            Optional<ClusterNodeSpec> leader = coordinatingLeader(supervisors);
            if (leader.isPresent()) {
                console.clusterReady(leader.get().apiUrl());
                return true;
            }
            awaitShutdown(shutdown, POLL_INTERVAL);
        }
        if (!shutdown.isDone()) {
            reportNotReady(supervisors, console);
        }
        return false;
    }

    private static void awaitEither(CompletableFuture<?> first, CompletableFuture<?> second, long deadline)
            throws InterruptedException {
        try {
            CompletableFuture.anyOf(first, second).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // The caller looks at what is done.
        }
    }

    /** Returns after {@code delay}, or at once when the shutdown has begun. */
    private static void awaitShutdown(CompletableFuture<String> shutdown, Duration delay) throws InterruptedException {
        awaitEither(shutdown, shutdown, System.nanoTime() + delay.toNanos());
    }

    private static Optional<ClusterNodeSpec> coordinatingLeader(List<ClusterNodeSupervisor> supervisors)
            throws InterruptedException {
        for (ClusterNodeSupervisor supervisor : supervisors) {
            Optional<ClusterNodeProcess> node = supervisor.current();
            if (node.isPresent()
                    && node.get()
                            .status()
                            .filter(ClusterNodeStatus::isCoordinatingLeader)
                            .isPresent()) {
                return Optional.of(supervisor.spec());
            }
        }
        return Optional.empty();
    }

    private void reportNotReady(List<ClusterNodeSupervisor> supervisors, ClusterConsole console) {
        List<ClusterNodeSupervisor> unready = supervisors.stream()
                .filter(supervisor -> !supervisor.firstReady().isDone())
                .toList();
        console.note("the cluster was not ready within " + readyTimeoutSeconds + " s: "
                + (unready.isEmpty() ? "no node became a leader that coordinates" : "not every node answered"));
        for (ClusterNodeSupervisor supervisor : unready.isEmpty() ? supervisors : unready) {
            console.note("the end of node " + supervisor.spec().id() + "'s log, "
                    + supervisor.spec().files().serverLog() + ":");
            console.quote(supervisor.spec().files().payaraMicro().logTail(LOG_TAIL_LINES));
        }
    }

    /** Until the shutdown, starts the bank server again on its port whenever its process has ended on its own. */
    private void watchBankServerUntil(CompletableFuture<String> shutdown, ClusterConsole console)
            throws InterruptedException {
        while (!shutdown.isDone()) {
            awaitShutdown(shutdown, Duration.ofSeconds(1));
            if (shutdown.isDone() || bankServer.isEmpty() || bankServer.get().isAlive()) {
                continue;
            }
            console.note("the bank server (pid " + bankServer.get().pid() + ") ended; starting it again in "
                    + restartDelaySeconds + " s");
            awaitShutdown(shutdown, Duration.ofSeconds(restartDelaySeconds));
            if (!shutdown.isDone()) {
                restartBankServer(console);
            }
        }
    }

    private void restartBankServer(ClusterConsole console) {
        try {
            bankServer = Optional.of(bankServer.get().restart());
        } catch (IllegalStateException e) {
            console.note("the bank server did not start again: " + e.getMessage());
        }
    }

    /** Each supervisor stops its node; a supervisor that does not end in time has its node killed. */
    private void awaitSupervisors(List<Thread> threads, List<ClusterNodeSupervisor> supervisors)
            throws InterruptedException {
        long deadline =
                System.nanoTime() + TimeUnit.SECONDS.toNanos(stopTimeoutSeconds) + SUPERVISOR_END_MARGIN.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        for (ClusterNodeSupervisor supervisor : supervisors) {
            supervisor.current().ifPresent(ClusterNodeProcess::kill);
        }
    }

    private void stopBankServer(ClusterConsole console) {
        if (bankServer.isEmpty()) {
            return;
        }
        try {
            bankServer.get().stop();
        } catch (IllegalStateException e) {
            console.note("the bank server did not stop in time and is killed: " + e.getMessage());
        } finally {
            bankServer.get().close();
        }
    }

    /**
     * The nodes' JVM options: half the heap of {@code serve}'s server, since several nodes share the machine, and
     * objects that outlive a request promoted at their first collection, as for {@code serve} (docs/benchmarks.md).
     */
    private static List<String> nodeJvmOptions() {
        String configured = System.getenv(NODE_JVM_OPTIONS_VARIABLE);
        return configured == null || configured.isBlank()
                ? List.of("-Xmx512m", "-XX:MaxTenuringThreshold=1")
                : List.of(configured.trim().split("\\s+"));
    }

    private static InputFileException optionProblem(String option, String problem) {
        return new InputFileException("option", Path.of(option), problem);
    }

    private static int refuse(PrintWriter err, String message) {
        err.println("clearhouse cluster: " + message);
        err.flush();
        return BatchCommand.EXIT_BAD_INPUT;
    }
}
