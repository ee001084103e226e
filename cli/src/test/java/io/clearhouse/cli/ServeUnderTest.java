package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code clearhouse serve} as a test runs it, from the shaded jar with the built WAR, over one data directory and one
 * port: each command's output files, every process it started and its PostgreSQL (found by pid, so that they can be
 * killed after the test whatever happened), and its API over HTTP.
 */
final class ServeUnderTest {
    static final Duration GONE_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final int port;
    /** Its requests carry a token with all roles; {@link #plain} sends only what a test gives it. */
    private HttpClient http;

    private HttpClient plain = HttpClient.newHttpClient();
    private String scheme = "http";
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
    /** Each started command's standard output file; its standard error is beside it, with ".err" appended. */
    private final Map<Long, Path> outputs = new ConcurrentHashMap<>();

    private ServeUnderTest(Path directory, int port) {
        this.directory = directory;
        this.port = port;
        this.http = new BearerHttpClient(HttpClient.newHttpClient(), ServerAuth.signingKeys(data()));
    }

    /**
     * A new temporary directory under {@code java.io.tmpdir} named from {@code prefix}, which PostgreSQL's
     * unprivileged user can reach, so that the cluster may live in it, and a free port.
     */
    static ServeUnderTest inNewDirectory(String prefix) throws IOException {
        Path directory = Files.createTempDirectory(
                Path.of(System.getProperty("java.io.tmpdir")),
                prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        return new ServeUnderTest(directory, freePort());
    }

    Path directory() {
        return directory;
    }

    int port() {
        return port;
    }

    /** serve's data directory. */
    Path data() {
        return directory.resolve("data");
    }

    /**
     * Runs {@code serve --port PORT --data-dir DATA} with {@code options}, giving it {@code readyTimeout} as well,
     * and waits until it prints its ready line; then every process it started is known.
     */
    Process start(Duration readyTimeout, List<String> options) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(
                "serve",
                "--port",
                Integer.toString(port),
                "--data-dir",
                data().toString(),
                "--ready-timeout-seconds",
                Long.toString(readyTimeout.toSeconds())));
        arguments.addAll(options);
        Process serve = command(arguments);
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (!stdout(serve).contains("ready at")) {
            assertThat(serve.isAlive()).as("serve ended: " + stderr(serve)).isTrue();
            assertThat(System.nanoTime()).as("serve was not ready in time").isLessThan(deadline);
            // The ready line is the only signal serve gives; its file is polled.
            serve.waitFor(200, TimeUnit.MILLISECONDS);
        }
        if (options.contains("--tls")) {
            trustTheGeneratedCertificate();
        }
        assertThat(stdout(serve)).contains(baseUrl() + "/api");
        seen.addAll(serve.descendants().toList());
        postgres().ifPresent(seen::add);
        return serve;
    }

    /** From now on, asks the server over HTTPS, trusting the certificate serve made in the data directory. */
    private void trustTheGeneratedCertificate() throws IOException, InputFileException {
        ServeLayout layout = new ServeLayout(data());
        ServerTls tls = ServerTls.ofKeystore(
                layout.tlsKeystore(), Files.readString(layout.tlsPassword()).strip());
        plain = HttpClient.newBuilder().sslContext(tls.trustingContext()).build();
        http = new BearerHttpClient(plain, ServerAuth.signingKeys(data()));
        scheme = "https";
    }

    /** {@code http://localhost:PORT}, or https once serve runs with TLS. */
    String baseUrl() {
        return scheme + "://localhost:" + port;
    }

    /** Runs the command line with {@code arguments}, its output into files of the directory. */
    Process command(List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + PayaraMicroServer.WAR_PROPERTY + "=" + System.getProperty("clearhouse.war"),
                "-D" + PayaraMicroServer.PAYARA_JAR_PROPERTY + "=" + System.getProperty("clearhouse.payara.jar"),
                "-jar",
                System.getProperty("clearhouse.jar")));
        command.addAll(arguments);
        Path output = Files.createTempFile(directory, "serve-", ".out");
        Process process = new ProcessBuilder(command)
                .redirectOutput(output.toFile())
                .redirectError(errorFile(output).toFile())
                .start();
        seen.add(process.toHandle());
        outputs.put(process.pid(), output);
        return process;
    }

    String stdout(Process process) throws IOException {
        return Files.readString(outputs.get(process.pid()));
    }

    String stderr(Process process) throws IOException {
        return Files.readString(errorFile(outputs.get(process.pid())));
    }

    private static Path errorFile(Path output) {
        return output.resolveSibling(output.getFileName() + ".err");
    }

    /**
     * The postmaster of serve's cluster, from its pid file (pg_ctl detaches it from serve), if it is still a postgres:
     * the file outlives a killed postmaster, whose pid another process may have taken since.
     */
    Optional<ProcessHandle> postgres() {
        try {
            Path pidFile = clusterDirectory().resolve("pgdata/postmaster.pid");
            return ProcessHandle.of(
                            Long.parseLong(Files.readAllLines(pidFile).get(0).trim()))
                    .filter(process -> process.info()
                            .command()
                            .map(command -> command.endsWith("postgres"))
                            .orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Where serve put the cluster: in the data directory unless {@code postgres.location} names another place. */
    Path clusterDirectory() throws IOException {
        ServeLayout layout = new ServeLayout(data());
        return Files.exists(layout.postgresLocation())
                ? Path.of(Files.readString(layout.postgresLocation()).strip())
                : layout.postgres();
    }

    /** SIGKILL of the launcher, Payara Micro, the postmaster and its backends, all found by pid before any dies. */
    void sigkillEverything(Process serve) {
        ProcessHandle postmaster = postgres().orElseThrow();
        List<ProcessHandle> victims = new ArrayList<>(serve.descendants().toList());
        victims.addAll(postmaster.descendants().toList());
        victims.add(postmaster);
        victims.add(serve.toHandle());
        victims.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle victim : victims) {
            assertThat(victim.onExit()
                            .orTimeout(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                            .join()
                            .isAlive())
                    .isFalse();
        }
    }

    /**
     * Kills every process seen and the cluster's postmaster, and waits until they are gone. Descendants are looked up
     * first: a Payara whose launcher is gone has no parent left to be found by.
     */
    void killEverything() throws InterruptedException, ExecutionException, TimeoutException {
        postgres().ifPresent(seen::add);
        List<ProcessHandle> victims = new ArrayList<>(seen);
        seen.forEach(process -> victims.addAll(process.descendants().toList()));
        victims.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle victim : victims) {
            victim.onExit().get(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    HttpResponse<String> post(LoadUntilKill.Transfer transfer) throws IOException, InterruptedException {
        String body = "{\"id\":\"" + transfer.id() + "\",\"from\":\"" + transfer.from() + "\",\"to\":\"" + transfer.to()
                + "\",\"amount\":" + transfer.amount() + "}";
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/api/transfers"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code method path} with {@code body} (JSON) and {@code Authorization: Bearer token} if a token is given. */
    HttpResponse<String> send(String method, String path, String body, Optional<String> token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(bearer -> request.header("Authorization", "Bearer " + bearer));
        return plain.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String get(String path) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The recorded status of transfer {@code id}, or {@code unknown}. */
    String status(String id) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/api/transfers/" + id))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 404
                ? "unknown"
                : JSON.readTree(response.body()).path("status").asText();
    }

    /**
     * Checks that every outcome a client was told is still the recorded one, and asserts that each account of
     * {@code bankOfAccount} holds its {@code opening} balance moved by exactly the transfers recorded committed, with
     * nothing held on it: the money of all of them adds up to the opening sum.
     */
    void assertOutcomesKeptAndMoneyConserved(
            Map<String, String> bankOfAccount,
            Map<String, Long> opening,
            List<LoadUntilKill.Transfer> sent,
            Map<String, String> answered)
            throws IOException, InterruptedException {
        Map<String, Long> expected = new HashMap<>(opening);
        for (LoadUntilKill.Transfer transfer : sent) {
            String outcome = status(transfer.id());
            if (answered.containsKey(transfer.id())) {
                assertThat(outcome).as(transfer.id()).isEqualTo(answered.get(transfer.id()));
            }
            if (outcome.equals("committed")) {
                expected.merge(transfer.from(), -transfer.amount(), Long::sum);
                expected.merge(transfer.to(), transfer.amount(), Long::sum);
            }
        }
        JsonNode state = JSON.readTree(get("/api/state"));
        long sum = 0;
        for (Map.Entry<String, String> account : bankOfAccount.entrySet()) {
            long balance = state.path(account.getValue()).path(account.getKey()).asLong(-1);
            assertThat(balance).as(account.getKey()).isEqualTo(expected.get(account.getKey()));
            assertThat(JSON.readTree(get("/api/accounts/" + account.getKey()))
                            .path("held")
                            .asLong(-1))
                    .as("held on " + account.getKey())
                    .isZero();
            sum += balance;
        }
        assertThat(sum)
                .as("money across the banks")
                .isEqualTo(opening.values().stream().mapToLong(Long::longValue).sum());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
