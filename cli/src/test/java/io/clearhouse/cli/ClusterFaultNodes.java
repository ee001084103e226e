package io.clearhouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Status;
import io.clearhouse.auth.SigningKeys;
import io.clearhouse.bankserver.BankServerProcess;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterRegistry;
import io.clearhouse.spi.BankConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A cluster of three real nodes for fault tests: one bank server process holding every bank, and three Payara Micro
 * processes over it whose Raft links run through a {@link PeerNetwork}, all started from one temporary directory. A
 * test kills and restarts nodes (each its child process), cuts links, and asks the nodes what they say of
 * themselves; {@link #close} kills whatever still runs, also when the test failed.
 */
final class ClusterFaultNodes implements AutoCloseable {
    static final int NODES = 3;
    /** How long one node may take to start, on two cores shared with two other nodes and the clients. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    /** How long the cluster may take to have a coordinating leader once a majority runs and is connected. */
    static final Duration LEADER_TIMEOUT = Duration.ofSeconds(90);
    /**
     * The cluster command's heap, with the JVM's own work kept small: three nodes, the bank server and the clients
     * share two cores, and a node's start is mostly compiling Payara's code, which the client compiler alone does
     * faster.
     */
    private static final List<String> NODE_JVM_OPTIONS =
            List.of("-Xmx512m", "-XX:MaxTenuringThreshold=1", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final ClusterPlan plan;
    private final HttpClient http;
    private final Map<String, Map<String, Long>> opening;
    private final Map<Integer, ClusterNodeProcess> running = new LinkedHashMap<>();
    private final Thread killOnExit = new Thread(this::killNodes, "cluster-fault-nodes-kill-on-exit");
    private BankServerProcess bankServer;
    private PeerNetwork network;
    private Map<String, BankAdapter> banks = Map.of();

    /** A client whose requests carry a token of the cluster's key pair, which the nodes make at their start. */
    static HttpClient client(SigningKeys keys) {
        return new BearerHttpClient(
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2))
                        .build(),
                keys);
    }

    /** The cluster's key pair, for clients of its nodes. */
    SigningKeys signingKeys() {
        return plan.layout().signingKeys();
    }

    private ClusterFaultNodes(ClusterPlan plan, Map<String, Map<String, Long>> opening) {
        this.plan = plan;
        this.opening = opening;
        this.http = client(plan.layout().signingKeys());
    }

    /**
     * Starts the bank server with {@code opening}, the network and every node, with {@code jvmOptions} added to every
     * node's (settings as {@code -Dkey=value}), and returns once a leader coordinates. Whatever started is killed if
     * the cluster does not come up.
     */
    static ClusterFaultNodes start(Path directory, Map<String, Map<String, Long>> opening, List<String> jvmOptions)
            throws IOException, InterruptedException {
        ClusterLayout layout = new ClusterLayout(directory);
        Files.createDirectories(layout.root());
        int[] ports = freePortRanges(NODES);
        ClusterPlan plan = new ClusterPlan(
                layout,
                NODES,
                PeerNetwork.LOOPBACK,
                ports[0],
                ports[1],
                UUID.randomUUID(),
                layout.banksFile(),
                Stream.concat(NODE_JVM_OPTIONS.stream(), jvmOptions.stream()).toList(),
                Optional.empty());
        ClusterFaultNodes nodes = new ClusterFaultNodes(plan, opening);
        Runtime.getRuntime().addShutdownHook(nodes.killOnExit);
        try {
            nodes.startBankServer(layout);
            nodes.network = PeerNetwork.start(plan, layout.root());
            nodes.startAll();
            return nodes;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            nodes.close();
            throw e;
        }
    }

    private void startBankServer(ClusterLayout layout) throws IOException {
        JSON.writeValue(layout.bankServerState().toFile(), opening);
        bankServer = BankServerProcess.start(layout.bankServerState(), layout.bankServer());
        List<Map<String, Object>> remote = new ArrayList<>();
        for (String bankId : opening.keySet()) {
            remote.add(Map.of("id", bankId, "type", "remote", "settings", Map.of("url", bankServer.url())));
        }
        JSON.writeValue(layout.banksFile().toFile(), Map.of("banks", remote));
        BankAdapterRegistry registry = BankAdapterRegistry.load(getClass().getClassLoader());
        Map<String, BankAdapter> opened = new LinkedHashMap<>();
        for (String bankId : opening.keySet()) {
            opened.put(
                    bankId,
                    registry.open(
                            "remote",
                            new BankConfig(
                                    bankId,
                                    Map.of(),
                                    Map.of("url", bankServer.url().toString()))));
        }
        banks = opened;
    }

    /** Two ranges of {@code count} consecutive ports free now: the API ports, then the Raft ports. */
    private static int[] freePortRanges(int count) {
        Random random = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int api = 20_000 + random.nextInt(20_000);
            int raft = api + 1_000;
            boolean free = true;
            for (int port = 0; port < count && free; port++) {
                free = PayaraMicroServer.isPortFree(api + port) && PayaraMicroServer.isPortFree(raft + port);
            }
            if (free) {
                return new int[] {api, raft};
            }
        }
        throw new IllegalStateException("no two ranges of " + count + " free ports found");
    }

    /** Starts every node that does not run, all at once, and waits until each is ready and a leader coordinates. */
    void startAll() throws IOException, InterruptedException {
        List<Integer> started = new ArrayList<>();
        for (int id = 1; id <= NODES; id++) {
            if (!running.containsKey(id)) {
                running.put(id, ClusterNodeProcess.start(network.spec(id, plan.jvmOptions())));
                started.add(id);
            }
        }
        for (int id : started) {
            awaitReady(id);
        }
        awaitCoordinatingLeader(status -> true);
    }

    /** Starts node {@code id} again over its Raft storage and waits until it answers as this new process. */
    void restart(int id) throws IOException, InterruptedException {
        if (running.containsKey(id)) {
            throw new IllegalStateException("node " + id + " runs already");
        }
        running.put(id, ClusterNodeProcess.start(network.spec(id, plan.jvmOptions())));
        awaitReady(id);
    }

    private void awaitReady(int id) throws InterruptedException {
        ClusterNodeProcess node = running.get(id);
        if (node.awaitReady(START_TIMEOUT).isEmpty()) {
            throw new AssertionError("node " + id + " (pid " + node.pid() + ") not ready within " + START_TIMEOUT
                    + "; the end of its log:\n"
                    + String.join("\n", node.spec().files().payaraMicro().logTail(30)));
        }
    }

    /** SIGKILL to node {@code id}, which must be a process this fixture started; returns once it is gone. */
    void kill(int id) {
        ClusterNodeProcess node = running.remove(id);
        if (node == null) {
            throw new IllegalStateException("node " + id + " does not run");
        }
        node.kill();
    }

    /** SIGKILL to every node at once (the bank server goes on). */
    void killAll() {
        List<ClusterNodeProcess> victims = List.copyOf(running.values());
        running.clear();
        // Every SIGKILL is sent before the first is waited for, so no node outlives another by a restart's worth.
        victims.forEach(node -> ProcessHandle.of(node.pid()).ifPresent(ProcessHandle::destroyForcibly));
        victims.forEach(ClusterNodeProcess::kill);
    }

    /** The process of node {@code id}, which runs. */
    ClusterNodeProcess process(int id) {
        ClusterNodeProcess node = running.get(id);
        if (node == null) {
            throw new IllegalStateException("node " + id + " does not run");
        }
        return node;
    }

    List<URI> apiUrls() {
        List<URI> urls = new ArrayList<>();
        for (int id = 1; id <= NODES; id++) {
            urls.add(plan.apiUrl(id));
        }
        return urls;
    }

    URI apiUrl(int id) {
        return plan.apiUrl(id);
    }

    /** The node whose API URL is {@code url}. */
    int nodeOf(URI url) {
        for (int id = 1; id <= NODES; id++) {
            if (plan.apiUrl(id).equals(url)) {
                return id;
            }
        }
        throw new IllegalArgumentException(url + " is no node's API URL");
    }

    PeerNetwork network() {
        return network;
    }

    /** The banks at the bank server, through the remote adapter: what the invariants are checked against. */
    Map<String, BankAdapter> banks() {
        return banks;
    }

    /** What node {@code id} says of itself now; empty if it does not run or does not answer. */
    Optional<ClusterNodeStatus> status(int id) throws InterruptedException {
        ClusterNodeProcess node = running.get(id);
        return node == null ? Optional.empty() : node.status();
    }

    /**
     * Waits until a running node is the leader, coordinates, and satisfies {@code wanted}; fails naming what every
     * node said last when none does within {@link #LEADER_TIMEOUT}.
     */
    ClusterNodeStatus awaitCoordinatingLeader(Predicate<ClusterNodeStatus> wanted) throws InterruptedException {
        return await(
                "a coordinating leader",
                LEADER_TIMEOUT,
                () -> {
                    for (int id : List.copyOf(running.keySet())) {
                        Optional<ClusterNodeStatus> status = status(id);
                        if (status.isPresent() && status.get().isCoordinatingLeader() && wanted.test(status.get())) {
                            return Optional.of(status.get());
                        }
                    }
                    return Optional.empty();
                },
                this::describe);
    }

    /**
     * Waits until node {@code id} is part of the group again: it is the coordinating leader, or it names a leader that
     * coordinates in the term it is in itself. This says it hears the leader, not that it holds the leader's log; see
     * the test's check with a link cut for that.
     */
    void awaitRejoined(int id) throws InterruptedException {
        await(
                "node " + id + " rejoining the group",
                LEADER_TIMEOUT,
                () -> {
                    Optional<ClusterNodeStatus> self = status(id);
                    Optional<Integer> leader =
                            self.flatMap(ClusterNodeStatus::leader).map(this::nodeOf);
                    if (leader.isEmpty()) {
                        return Optional.empty();
                    }
                    Optional<ClusterNodeStatus> leaderStatus = leader.get() == id ? self : status(leader.get());
                    boolean rejoined = leaderStatus.isPresent()
                            && leaderStatus.get().isCoordinatingLeader()
                            && leaderStatus.get().term() == self.get().term();
                    return rejoined ? self : Optional.empty();
                },
                this::describe);
    }

    /** {@code GET /api/cluster} on node {@code askedNode}: who leads, in which term, and every node's pid. */
    ClusterView clusterView(int askedNode) throws InterruptedException {
        JsonNode body = getJson(plan.apiUrl(askedNode) + "/cluster")
                .orElseThrow(() -> new AssertionError("node " + askedNode + " did not answer GET /api/cluster"));
        Map<URI, Long> pids = new LinkedHashMap<>();
        for (JsonNode node : body.path("nodes")) {
            if (node.path("pid").canConvertToLong()) {
                pids.put(URI.create(node.path("url").asText()), node.path("pid").asLong());
            }
        }
        JsonNode leader = body.path("leader");
        return new ClusterView(
                leader.isTextual() ? Optional.of(URI.create(leader.asText())) : Optional.empty(),
                body.path("term").asLong(),
                pids);
    }

    /**
     * What {@code GET /api/cluster} answered.
     *
     * @param leader the leader's API URL, if the asked node knows one
     * @param term the asked node's term
     * @param pids the process id of every node that answered, by API URL
     */
    record ClusterView(Optional<URI> leader, long term, Map<URI, Long> pids) {}

    /** {@code POST /api/recovery} on node {@code id}; whether it ran a pass (it answers 200 only on the leader). */
    boolean recover(int id) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(plan.apiUrl(id) + "/recovery"))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code GET /api/transfers/{id}} on node {@code node}: the recorded outcome, or empty for 404.
     *
     * @throws AssertionError for any other answer: the lookup must be definite
     */
    Optional<Outcome> recordedOutcome(int node, String transferId) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(plan.apiUrl(node) + "/transfers/" + transferId))
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET /api/transfers/" + transferId + " on node " + node, e);
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /api/transfers/" + transferId + " on node " + node + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return Optional.of(parseOutcome(response.body()));
    }

    /** An outcome as the API answers it: {@code {"id","status","reason"?}}. */
    static Outcome parseOutcome(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            String id = json.path("id").asText();
            Status status = Status.valueOf(json.path("status").asText().toUpperCase(Locale.ROOT));
            return status == Status.COMMITTED
                    ? Outcome.committed(id)
                    : Outcome.aborted(id, Reason.valueOf(json.path("reason").asText()));
        } catch (IOException | IllegalArgumentException e) {
            throw new AssertionError("not an outcome: " + body, e);
        }
    }

    private Optional<JsonNode> getJson(String url) throws InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A condition that yields a value once it holds. */
    interface Probe<T> {
        Optional<T> poll() throws InterruptedException;
    }

    /**
     * Polls {@code probe} until it yields a value; fails naming {@code what} when it does not within {@code timeout}.
     * The processes give no other signal, so they are polled.
     */
    static <T> T await(String what, Duration timeout, Probe<T> probe) throws InterruptedException {
        return await(what, timeout, probe, () -> "");
    }

    /** As {@link #await(String, Duration, Probe)}, adding what {@code state} says now to the failure. */
    static <T> T await(String what, Duration timeout, Probe<T> probe, Describer state) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.poll();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + state.describe());
            }
            Thread.sleep(100);
        }
    }

    /** Says what the processes say now, for a failure's message. */
    interface Describer {
        String describe() throws InterruptedException;
    }

    /** What every node says of itself now, and the links cut, on lines of their own. */
    String describe() throws InterruptedException {
        StringBuilder text = new StringBuilder();
        for (int id = 1; id <= NODES; id++) {
            ClusterNodeProcess node = running.get(id);
            text.append("\n  node ").append(id).append(": ");
            if (node == null) {
                text.append("not running");
            } else {
                text.append("pid ")
                        .append(node.pid())
                        .append(node.isAlive() ? "" : " (ended)")
                        .append(", ");
                text.append(node.status().map(Object::toString).orElse("no answer"));
            }
        }
        text.append("\n  links cut: ").append(network.cutLinks());
        text.append("\n  files: ").append(plan.layout().root());
        return text.toString();
    }

    /** A condition without a value. */
    interface Condition {
        boolean holds() throws InterruptedException;
    }

    /** As {@link #await(String, Duration, Probe)} for a condition without a value. */
    static void awaitTrue(String what, Duration timeout, Condition condition) throws InterruptedException {
        await(what, timeout, () -> condition.holds() ? Optional.of(true) : Optional.empty());
    }

    private void deletePayaraScratch() {
        for (int id = 1; id <= NODES; id++) {
            Path scratch = plan.layout().node(id).payara();
            if (Files.exists(scratch)) {
                try (Stream<Path> paths = Files.walk(scratch)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + scratch, e);
                }
            }
        }
    }

    private void killNodes() {
        running.values().forEach(ClusterNodeProcess::kill);
        running.clear();
    }

    /**
     * Kills every node and the bank server, and closes the network; safe to call whatever state the test left. What
     * a failed test keeps of the directory is the nodes' logs and storage: each node's Payara scratch directory
     * (some 200 MB, made again at every start) is deleted.
     */
    @Override
    public void close() {
        try {
            killNodes();
            banks.values().forEach(BankAdapter::close);
            deletePayaraScratch();
        } finally {
            if (bankServer != null) {
                bankServer.close();
            }
            if (network != null) {
                network.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to: it kills the nodes itself.
            }
        }
    }
}
