package io.clearhouse.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * One node of a cluster: Payara Micro with the WAR and the Raft decision log, as a child process (see {@link
 * PayaraMicroServer}), with its settings in the node's system properties file and its output in its log. A node is
 * ready when {@code GET /api/cluster/self}, asked with an operator token of the cluster's key, answers with the process
 * id of this very process, so that an answer of an earlier process on the same port never counts.
 *
 * <pre>{@code
 * ClusterPlan plan = new ClusterPlan(layout, 3, "127.0.0.1", 8080, 9080, groupId, banksFile, jvmOptions, Optional.empty());
 * ClusterNodeProcess node = ClusterNodeProcess.start(plan.node(2).withJvmOptions(options));
 * node.awaitReady(Duration.ofMinutes(3)).orElseThrow();
 * node.kill();                                          // SIGKILL
 * ClusterNodeProcess again = ClusterNodeProcess.start(node.spec());
 * again.stop(Duration.ofSeconds(60));                   // SIGTERM, SIGKILL after 60 s
 * }</pre>
 */
final class ClusterNodeProcess {
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT)
            .build();

    private final ClusterNodeSpec spec;
    private final PayaraMicroServer server;

    private ClusterNodeProcess(ClusterNodeSpec spec, PayaraMicroServer server) {
        this.spec = spec;
        this.server = server;
    }

    /** Writes the node's system properties file and starts the node; returns without waiting for it. */
    static ClusterNodeProcess start(ClusterNodeSpec spec) throws IOException {
        Files.createDirectories(spec.files().raft());
        spec.files().signingKeys().createIfMissing();
        ServeFiles.writeProperties(
                spec.files().systemProperties(),
                spec.systemProperties(),
                "written by clearhouse cluster at every start of node " + spec.id());
        return new ClusterNodeProcess(
                spec, PayaraMicroServer.start(spec.files().payaraMicro(), spec.apiPort(), spec.jvmOptions()));
    }

    /**
     * The node processes still running on this data directory, of any node id: those an earlier {@code cluster}
     * left when only it was killed. Each is recognised by its Payara root directory on its command line.
     */
    static List<ProcessHandle> leftovers(ClusterLayout layout) {
        List<ProcessHandle> leftovers = new ArrayList<>();
        for (int id = 1; id <= ClusterLayout.NODES_MAX; id++) {
            leftovers.addAll(PayaraMicroServer.leftovers(layout.node(id).payaraMicro()));
        }
        return leftovers;
    }

    ClusterNodeSpec spec() {
        return spec;
    }

    long pid() {
        return server.pid();
    }

    boolean isAlive() {
        return server.isAlive();
    }

    /** Completes when the node's process has ended, for whatever reason. */
    CompletableFuture<Process> onExit() {
        return server.onExit();
    }

    /** SIGTERM (Payara undeploys the application, which closes the Raft server), SIGKILL after {@code timeout}. */
    void stop(Duration timeout) throws InterruptedException {
        server.stop(timeout);
    }

    /** SIGKILL: a crash; returns once the process is gone. */
    void kill() {
        server.kill();
    }

    /** What the node says of itself now; empty if it does not answer, or not with 200 and a status. */
    Optional<ClusterNodeStatus> status() throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(spec.apiUrl() + "/cluster/self"))
                    .header(
                            "Authorization",
                            ServerAuth.operatorAuthorization(spec.files().signingKeys()))
                    .timeout(REQUEST_TIMEOUT)
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200
                    ? Optional.of(ClusterNodeStatus.parse(response.body()))
                    : Optional.empty();
        } catch (IOException | IllegalArgumentException notServingYet) {
            // Micro opens its port some seconds after it starts, and the application answers once deployed.
            return Optional.empty();
        }
    }

    /** As {@link #awaitReady(Duration, BooleanSupplier)}, never giving up before {@code timeout}. */
    Optional<ClusterNodeStatus> awaitReady(Duration timeout) throws InterruptedException {
        return awaitReady(timeout, () -> false);
    }

    /**
     * Polls the node until it answers its status with this process's id.
     *
     * @return the first such status; empty if the process ended, {@code giveUp} said so or {@code timeout} passed
     */
    Optional<ClusterNodeStatus> awaitReady(Duration timeout, BooleanSupplier giveUp) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive() && !giveUp.getAsBoolean() && System.nanoTime() < deadline) {
            Optional<ClusterNodeStatus> status = status();
            if (status.isPresent() && status.get().pid() == pid()) {
                return status;
            }
            // The node gives no other signal of readiness than its endpoint, so it is polled.
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        return Optional.empty();
    }
}
