package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clearhouse cluster --nodes 3} as users run it, from the shaded jar with the built WAR: a ready line per node
 * with its real pid, then the cluster's ready line naming the leader; a transfer committed by the leader; SIGKILL of
 * the leader, a new leader elected among the others that still knows the transfer and commits the next, the killed
 * node started again and ready again; SIGTERM stopping every process, exit code 0. And with a short retention, a
 * transfer's id answered by the leader from the replicated log, then forgotten once pruned. Every process seen is
 * killed by pid after the test, whatever happened.
 */
class ClusterIT {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(11);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofMinutes(2);
    /** How long a request may go from node to node before the leader answers it, while leadership settles. */
    private static final Duration LEADER_TIMEOUT = Duration.ofMinutes(2);

    private static final Duration GONE_TIMEOUT = Duration.ofSeconds(120);
    private static final int SURVIVOR_LOG_LINES = 40;
    private static final String RATIS_LOG_LEVEL = "clearhouse.raft.ratis-log-level";
    private static final int NODES = 3;
    private static final String STATE = "{\"1\":{\"alice\":1000,\"bob\":0},\"2\":{\"carol\":500}}";
    private static final Pattern NODE_READY = Pattern.compile("Node (\\d) ready at (\\S+) \\(pid (\\d+)\\)");
    private static final Pattern CLUSTER_READY = Pattern.compile("Clearhouse cluster is ready, leader (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough for the transfers that push one out of the engine's memory, short for the test's wait. */
    private static final Duration RETENTION = Duration.ofSeconds(20);

    private static final Duration PRUNE_INTERVAL = Duration.ofSeconds(1);
    /** The retention, two prune intervals, and room for a loaded machine. */
    private static final Duration FORGOTTEN_WITHIN = RETENTION.plusMinutes(1);

    private static final int FINISHED_OUTCOMES_IN_MEMORY_MAX = 2;

    private HttpClient http;
    private final Set<ProcessHandle> seen = new LinkedHashSet<>();

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path directory;

    private Path stdout;
    private Path stderr;

    @BeforeEach
    void prepare() {
        stdout = directory.resolve("cluster.out");
        stderr = directory.resolve("cluster.err");
        http = new BearerHttpClient(
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                ServerAuth.signingKeys(directory.resolve("data")));
    }

    @AfterEach
    void killEverything() {
        List<ProcessHandle> all = new ArrayList<>(seen);
        seen.forEach(process -> all.addAll(process.descendants().toList()));
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(process -> process.onExit()
                .orTimeout(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .join());
    }

    @Test
    void electsALeaderThatCommitsAndAfterItsSigkillAnotherTakesOverAndTheKilledNodeComesBack() throws Exception {
        int apiPort = ClusterOptionsTest.freePortRange(NODES);
        int raftPort = freePortRangeAwayFrom(apiPort);
        Process cluster = startCluster(apiPort, raftPort, "");

        List<String> lines = awaitStdoutLines(cluster, NODES + 1, READY_TIMEOUT);
        Map<Integer, ReadyNode> nodes = readyNodes(lines.subList(0, NODES));
        assertThat(nodes.keySet()).containsExactly(1, 2, 3);
        for (ReadyNode node : nodes.values()) {
            assertThat(node.url()).isEqualTo(URI.create("http://127.0.0.1:" + (apiPort + node.id() - 1) + "/api"));
            assertThat(cluster.descendants().map(ProcessHandle::pid)).contains(node.pid());
        }
        seen.addAll(cluster.descendants().toList());
        Matcher ready = CLUSTER_READY.matcher(lines.get(NODES));
        assertThat(ready.matches()).as(lines.get(NODES)).isTrue();
        ReadyNode leader = nodes.values().stream()
                .filter(node -> node.url().toString().equals(ready.group(1)))
                .findFirst()
                .orElseThrow();
        ClusterNodeStatus leaderStatus = self(leader.url()).orElseThrow();
        assertThat(leaderStatus.role()).isEqualTo("LEADER");
        assertThat(leaderStatus.pid()).isEqualTo(leader.pid());
        assertThat(post(leader.url(), "t1", "alice", "carol", 30)).contains("\"committed\"");

        ProcessHandle killed = ProcessHandle.of(leader.pid()).orElseThrow();
        killed.destroyForcibly();
        assertThat(killed.onExit()
                        .get(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                        .isAlive())
                .isFalse();

        ReadyNode newLeader = awaitNewLeader(nodes, leader);
        assertThat(getOnLeader(newLeader.url(), "/transfers/t1").body()).contains("\"committed\"");
        assertThat(post(newLeader.url(), "t2", "alice", "bob", 10)).contains("\"committed\"");
        assertThat(getOnLeader(newLeader.url(), "/state").body())
                .isEqualTo("{\"1\":{\"alice\":960,\"bob\":10},\"2\":{\"carol\":530}}");
        assertManualActionsWithoutADatabase(newLeader.url());

        ReadyNode restarted = readyNodes(
                        awaitStdoutLines(cluster, NODES + 2, READY_TIMEOUT).subList(NODES + 1, NODES + 2))
                .get(leader.id());
        assertThat(restarted).as("the killed node's ready line").isNotNull();
        assertThat(restarted.pid()).isNotEqualTo(leader.pid());
        assertThat(self(restarted.url()).orElseThrow().pid()).isEqualTo(restarted.pid());
        List<ProcessHandle> children = cluster.descendants().toList();
        seen.addAll(children);

        cluster.destroy();

        assertThat(cluster.waitFor(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(cluster.exitValue()).as(Files.readString(stderr)).isZero();
        assertThat(children).hasSize(NODES + 1).noneMatch(ProcessHandle::isAlive);
        assertThat(Files.readString(stderr)).contains("clearhouse cluster: SIGTERM, stopping");
    }

    /**
     * The leader prunes the replicated decision log as a server prunes PostgreSQL: a transfer's id, answered from the
     * log once the engine no longer holds it in memory, is unknown ({@code 404}) after the retention, and a retry of it
     * is a new transfer that moves the money again.
     */
    @Test
    void theLeaderForgetsATransfersIdAfterTheRetention() throws Exception {
        int apiPort = ClusterOptionsTest.freePortRange(NODES);
        int raftPort = freePortRangeAwayFrom(apiPort);
        Process cluster = startCluster(
                apiPort,
                raftPort,
                " -Dclearhouse.decision-log.retention-millis=" + RETENTION.toMillis()
                        + " -Dclearhouse.decision-log.prune-interval-millis=" + PRUNE_INTERVAL.toMillis()
                        + " -Dclearhouse.finished-outcomes-in-memory-max=" + FINISHED_OUTCOMES_IN_MEMORY_MAX);
        List<String> lines = awaitStdoutLines(cluster, NODES + 1, READY_TIMEOUT);
        seen.addAll(cluster.descendants().toList());
        Matcher ready = CLUSTER_READY.matcher(lines.get(NODES));
        assertThat(ready.matches()).as(lines.get(NODES)).isTrue();
        URI leader = URI.create(ready.group(1));

        assertThat(post(leader, "kept-a-while", "alice", "carol", 30)).contains("\"committed\"");
        for (int other = 0; other <= FINISHED_OUTCOMES_IN_MEMORY_MAX; other++) {
            assertThat(post(leader, "other-" + other, "carol", "bob", 1)).contains("\"committed\"");
        }
        HttpResponse<String> before = getOnLeader(leader, "/transfers/kept-a-while");
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        assertThat(before.body()).contains("\"committed\"");

        long deadline = System.nanoTime() + FORGOTTEN_WITHIN.toNanos();
        HttpResponse<String> after;
        while ((after = getOnLeader(leader, "/transfers/kept-a-while")).statusCode() != 404) {
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
            assertThat(System.nanoTime())
                    .as("forgotten within " + FORGOTTEN_WITHIN)
                    .isLessThan(deadline);
            // The leader's pruning timer gives no signal but the answer, so it is polled.
            Thread.sleep(500);
        }

        assertThat(post(leader, "kept-a-while", "alice", "carol", 30))
                .as("a retry after the retention counts as new")
                .contains("\"committed\"");
        int others = FINISHED_OUTCOMES_IN_MEMORY_MAX + 1;
        assertThat(getOnLeader(leader, "/state").body())
                .isEqualTo("{\"1\":{\"alice\":940,\"bob\":" + others + "},\"2\":{\"carol\":" + (560 - others) + "}}");
    }

    /**
     * The nodes of {@code cluster} name no database for the audit trail: on the leader a recovery pass on demand runs
     * all the same, unrecorded, while a settlement by hand, which must be recorded, is refused and does nothing.
     */
    private void assertManualActionsWithoutADatabase(URI leader) throws Exception {
        HttpResponse<String> pass = onLeader(leader, node -> postJson(node + "/recovery", ""));
        assertThat(pass.statusCode()).as(pass.body()).isEqualTo(200);
        assertThat(JSON.readTree(pass.body()).path("still_in_doubt").isInt()).isTrue();

        HttpResponse<String> settlement = http.send(
                postJson(
                        leader + "/recovery/settlements",
                        "{\"transaction_id\":\"t2\",\"bank\":\"1\",\"outcome\":\"commit\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(settlement.statusCode()).as(settlement.body()).isEqualTo(503);
        assertThat(JSON.readTree(settlement.body()).path("reason").asText()).isEqualTo("AUDIT_UNAVAILABLE");
    }

    private static HttpRequest postJson(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /**
     * Polls {@code GET /api/cluster} on a node that was not killed until it names another leader, and that leader
     * says it coordinates.
     */
    private ReadyNode awaitNewLeader(Map<Integer, ReadyNode> nodes, ReadyNode killed) throws Exception {
        ReadyNode witness = nodes.values().stream()
                .filter(node -> node.id() != killed.id())
                .findFirst()
                .orElseThrow();
        long deadline = System.nanoTime() + FAILOVER_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ReadyNode> leader = clusterLeader(witness.url())
                    .filter(url -> !url.equals(killed.url()))
                    .flatMap(url -> nodes.values().stream()
                            .filter(node -> node.url().equals(url))
                            .findFirst());
            if (leader.isPresent()
                    && self(leader.get().url())
                            .filter(ClusterNodeStatus::isCoordinatingLeader)
                            .isPresent()) {
                return leader.get();
            }
            // Election and the new leader's recovery give no signal but the nodes' status, so it is polled.
            Thread.sleep(200);
        }
        throw new AssertionError("no new leader within " + FAILOVER_TIMEOUT + survivorsNow(nodes, killed));
    }

    /** What each node that was not killed says of itself now, and the end of its log: why no leader emerged. */
    private String survivorsNow(Map<Integer, ReadyNode> nodes, ReadyNode killed) throws InterruptedException {
        StringBuilder report = new StringBuilder();
        for (ReadyNode node : nodes.values()) {
            if (node.id() == killed.id()) {
                continue;
            }
            Path log = directory.resolve("data").resolve("node-" + node.id()).resolve("server.log");
            List<String> lines;
            try {
                lines = Files.readAllLines(log);
            } catch (IOException e) {
                lines = List.of("(its log cannot be read: " + e + ")");
            }
            report.append("\nnode ")
                    .append(node.id())
                    .append(": ")
                    .append(self(node.url()))
                    .append(", the end of its log:\n")
                    .append(String.join("\n", lastLines(lines)));
        }
        return report.toString();
    }

    /** The leader that {@code GET /api/cluster} on {@code api} names, if it answers and names one. */
    private Optional<URI> clusterLeader(URI api) throws InterruptedException {
        try {
            HttpResponse<String> response = get(api, "/cluster");
            JsonNode leader = JSON.readTree(response.body()).path("leader");
            return response.statusCode() == 200 && leader.isTextual()
                    ? Optional.of(URI.create(leader.asText()))
                    : Optional.empty();
        } catch (IOException notAnswering) {
            return Optional.empty();
        }
    }

    /** Starts {@code cluster}, its nodes' JVMs with {@code nodeOptions} after the usual ones. */
    private Process startCluster(int apiPort, int raftPort, String nodeOptions) throws IOException {
        Path state = Files.writeString(directory.resolve("state.json"), STATE);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + PayaraMicroServer.WAR_PROPERTY + "=" + System.getProperty("clearhouse.war"),
                "-D" + PayaraMicroServer.PAYARA_JAR_PROPERTY + "=" + System.getProperty("clearhouse.payara.jar"),
                "-jar",
                System.getProperty("clearhouse.jar"),
                "cluster",
                "--nodes",
                Integer.toString(NODES),
                "--initial-state",
                state.toString(),
                "--port",
                Integer.toString(apiPort),
                "--raft-port",
                Integer.toString(raftPort),
                "--data-dir",
                directory.resolve("data").toString(),
                "--restart-delay-seconds",
                "1"));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        // Ratis' routine lines (votes, each election's result) are what tells why a fail-over took long. Election
        // timeouts five times the defaults, as docs/configuration.md advises for a loaded machine: with the defaults
        // a load average of 14 once started an election between the ready line naming the leader and the check that
        // it leads.
        builder.environment()
                .put(
                        ClusterCommand.NODE_JVM_OPTIONS_VARIABLE,
                        "-Xmx512m -XX:MaxTenuringThreshold=1 -D" + RATIS_LOG_LEVEL + "=INFO"
                                + " -Dclearhouse.raft.election-timeout-min-millis=1000"
                                + " -Dclearhouse.raft.election-timeout-max-millis=2000" + nodeOptions);
        Process process = builder.start();
        seen.add(process.toHandle());
        return process;
    }

    /** Waits until the command has printed {@code count} lines on standard output, and returns them. */
    private List<String> awaitStdoutLines(Process cluster, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = Files.readAllLines(stdout);
            if (lines.size() >= count) {
                return lines.subList(0, count);
            }
            assertThat(cluster.isAlive())
                    .as("cluster ended: " + Files.readString(stderr))
                    .isTrue();
            assertThat(System.nanoTime())
                    .as("cluster printed " + lines + " and not " + count + " lines in time; stderr: "
                            + Files.readString(stderr))
                    .isLessThan(deadline);
            // The command's lines are its only signal; its output file is polled.
            cluster.waitFor(200, TimeUnit.MILLISECONDS);
        }
    }

    private static List<String> lastLines(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - SURVIVOR_LOG_LINES), lines.size());
    }

    private static Map<Integer, ReadyNode> readyNodes(List<String> lines) {
        Map<Integer, ReadyNode> nodes = new TreeMap<>();
        for (String line : lines) {
            Matcher matcher = NODE_READY.matcher(line);
            assertThat(matcher.matches()).as(line).isTrue();
            ReadyNode node = new ReadyNode(
                    Integer.parseInt(matcher.group(1)), URI.create(matcher.group(2)), Long.parseLong(matcher.group(3)));
            assertThat(nodes.put(node.id(), node))
                    .as("node " + node.id() + " ready twice")
                    .isNull();
        }
        return nodes;
    }

    private Optional<ClusterNodeStatus> self(URI api) throws InterruptedException {
        try {
            HttpResponse<String> response = get(api, "/cluster/self");
            return response.statusCode() == 200
                    ? Optional.of(ClusterNodeStatus.parse(response.body()))
                    : Optional.empty();
        } catch (IOException notAnswering) {
            return Optional.empty();
        }
    }

    private HttpResponse<String> get(URI api, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(api + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String post(URI api, String id, String from, String to, long amount) throws Exception {
        String body = JSON.writeValueAsString(Map.of("id", id, "from", from, "to", to, "amount", amount));
        return onLeader(api, leader -> HttpRequest.newBuilder(URI.create(leader + "/transfers"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build())
                .body();
    }

    /**
     * Sends a request to the node at {@code api} and, while a node answers that it does not lead (421 with the
     * leader's URL) or that no leader is known (503), to the leader it names or again after a pause: leadership may
     * move under a loaded machine between finding the leader and asking it. Transfers are idempotent by id, so a
     * request sent twice applies once.
     */
    private HttpResponse<String> onLeader(URI api, Function<URI, HttpRequest> request) throws Exception {
        long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
        URI node = api;
        while (true) {
            HttpResponse<String> response = http.send(request.apply(node), HttpResponse.BodyHandlers.ofString());
            if ((response.statusCode() != 421 && response.statusCode() != 503) || System.nanoTime() > deadline) {
                return response;
            }
            JsonNode leader = JSON.readTree(response.body()).path("leader");
            if (response.statusCode() == 421 && leader.isTextual()) {
                node = URI.create(leader.asText());
            } else {
                Thread.sleep(500);
            }
        }
    }

    private HttpResponse<String> getOnLeader(URI api, String path) throws Exception {
        return onLeader(api, leader -> HttpRequest.newBuilder(URI.create(leader + path))
                .timeout(Duration.ofSeconds(10))
                .build());
    }

    /** A range of {@value #NODES} free ports that does not overlap the API ports from {@code apiPort}. */
    private static int freePortRangeAwayFrom(int apiPort) throws IOException {
        while (true) {
            int first = ClusterOptionsTest.freePortRange(NODES);
            if (first + NODES <= apiPort || first >= apiPort + NODES) {
                return first;
            }
        }
    }

    private record ReadyNode(int id, URI url, long pid) {}
}
