package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.bankserver.BankServerProcess;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterRegistry;
import io.clearhouse.spi.BankConfig;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code clearhouse serve} as users run it, from the shaded jar with the built WAR: ready line, transfers over HTTP,
 * SIGTERM stopping Payara and PostgreSQL, SIGKILL of everything under load and the same command coming back with
 * every outcome it answered and nothing left in flight, a server left behind by a killed launcher, and a data
 * directory PostgreSQL's user cannot enter. Every process seen is killed by pid after each test, whatever happened,
 * and a cluster kept outside the data directory is deleted.
 */
class ServeIT {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration GONE_TIMEOUT = Duration.ofSeconds(90);
    private static final String STATE = "{\"1\":{\"alice\":1000,\"bob\":0},\"2\":{\"carol\":500}}";
    private static final List<String> ACCOUNTS = List.of("alice", "bob", "carol");
    private static final int CLIENTS = 8;
    private static final int ANSWERS_BEFORE_KILL = 60;
    private static final int TRANSFERS_PER_CLIENT_MAX = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final Set<ProcessHandle> seen = new LinkedHashSet<>();
    /** Each started command's standard output file; its standard error is beside it, with ".err" appended. */
    private final Map<Long, Path> outputs = new ConcurrentHashMap<>();

    private Path directory;
    private Path state;
    private int port;

    @BeforeEach
    void prepare() throws IOException {
        // PostgreSQL's unprivileged user must be able to reach the data directory for the cluster to live in it.
        directory = Files.createTempDirectory(
                Path.of(System.getProperty("java.io.tmpdir")),
                "serve-it-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        state = directory.resolve("state.json");
        Files.writeString(state, STATE);
        port = freePort();
    }

    @AfterEach
    void killEverything() throws Exception {
        seen.forEach(ProcessHandle::destroyForcibly);
        Optional<ProcessHandle> postgres = postgres();
        postgres.ifPresent(ProcessHandle::destroyForcibly);
        // A cluster outside the data directory is outside target/ too, so it goes with the test.
        Path cluster = clusterDirectory();
        if (cluster.startsWith(ServeLayout.FALLBACK_POSTGRES_ROOT)) {
            if (postgres.isPresent()) {
                postgres.get().onExit().get(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            deleteTree(cluster.getParent());
        }
    }

    @Test
    void sigtermStopsPayaraAndPostgresAndARestartKeepsTheTransfer() throws Exception {
        Process serve = startServe();
        assertThat(clusterDirectory()).isEqualTo(new ServeLayout(data()).postgres());
        assertThat(post("t1", "alice", "carol", 30)).contains("\"committed\"");
        List<ProcessHandle> children = serve.descendants().toList();
        ProcessHandle postgres = postgres().orElseThrow();

        serve.destroy();

        assertThat(serve.waitFor(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(serve.exitValue()).isZero();
        assertThat(children).isNotEmpty().noneMatch(ProcessHandle::isAlive);
        assertThat(postgres.onExit()
                        .get(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                        .isAlive())
                .isFalse();
        startServe();
        assertThat(get("/api/transfers/t1")).contains("\"committed\"").contains("\"amount\":30");
        assertThat(get("/api/state")).isEqualTo("{\"1\":{\"alice\":970,\"bob\":0},\"2\":{\"carol\":530}}");
    }

    @Test
    void servesTheRemoteBanksOfABanksFileHeldByABankServer() throws Exception {
        try (BankServerProcess bankServer = BankServerProcess.start(state, directory.resolve("bank-server"))) {
            Path banksFile = directory.resolve("banks.json");
            String url = bankServer.url().toString();
            Files.writeString(
                    banksFile,
                    "{\"banks\":[{\"id\":\"1\",\"type\":\"remote\",\"settings\":{\"url\":\"" + url + "\"}},"
                            + "{\"id\":\"2\",\"type\":\"remote\",\"settings\":{\"url\":\"" + url + "\"}}]}");
            Process serve = startServe("--banks-file", banksFile);

            assertThat(post("t1", "alice", "carol", 30)).contains("\"committed\"");
            assertThat(post("t2", "bob", "carol", 1)).contains("INSUFFICIENT_FUNDS");
            assertThat(get("/api/state")).isEqualTo("{\"1\":{\"alice\":970,\"bob\":0},\"2\":{\"carol\":530}}");
            serve.destroy();
            assertThat(serve.waitFor(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .isTrue();
            assertThat(serve.exitValue()).isZero();

            // The banks are the bank server's: what the coordinator committed is there, and nothing is held.
            try (BankAdapter carol = BankAdapterRegistry.load(getClass().getClassLoader())
                    .open("remote", new BankConfig("2", Map.of(), Map.of("url", url)))) {
                assertThat(carol.account("carol")).contains(new AccountBalance("carol", 530, 0));
                assertThat(carol.recover()).isEmpty();
            }
        }
    }

    @Test
    void afterSigkillOfEverythingUnderLoadTheSameCommandKeepsEveryAnswerAndResolvesTheRest() throws Exception {
        Process serve = startServe();
        Map<String, String> answered = new ConcurrentHashMap<>();
        List<Transfer> sent = runClientsUntilKilled(answered, () -> sigkillEverything(serve));

        startServe();

        Map<String, Long> expected = new HashMap<>(Map.of("alice", 1000L, "bob", 0L, "carol", 500L));
        for (Transfer transfer : sent) {
            String outcome = status(transfer.id());
            if (answered.containsKey(transfer.id())) {
                assertThat(outcome).as(transfer.id()).isEqualTo(answered.get(transfer.id()));
            }
            if (outcome.equals("committed")) {
                expected.merge(transfer.from(), -transfer.amount(), Long::sum);
                expected.merge(transfer.to(), transfer.amount(), Long::sum);
            }
        }
        assertThat(answered).hasSizeGreaterThanOrEqualTo(ANSWERS_BEFORE_KILL);
        JsonNode balances = JSON.readTree(get("/api/state"));
        for (String account : ACCOUNTS) {
            String bank = account.equals("carol") ? "2" : "1";
            assertThat(balances.path(bank).path(account).asLong()).as(account).isEqualTo(expected.get(account));
            assertThat(JSON.readTree(get("/api/accounts/" + account))
                            .path("held")
                            .asLong())
                    .as("held on " + account)
                    .isZero();
        }
    }

    @Test
    void aDataDirectoryOnlyItsOwnerCanReachKeepsItsClusterAcrossRestarts() throws Exception {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        Process serve = startServe();
        Path cluster = clusterDirectory();
        // As root, PostgreSQL runs as its own user, who cannot enter the directory; any other user runs it directly.
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
            assertThat(cluster).startsWith(ServeLayout.FALLBACK_POSTGRES_ROOT);
        }
        assertThat(post("p1", "alice", "bob", 10)).contains("\"committed\"");

        serve.destroy();
        assertThat(serve.waitFor(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        startServe();

        assertThat(clusterDirectory()).isEqualTo(cluster);
        assertThat(get("/api/transfers/p1")).contains("\"committed\"");
    }

    @Test
    void aServerLeftRunningByAKilledLauncherIsStoppedByTheNextStart() throws Exception {
        Process serve = startServe();
        assertThat(post("l1", "alice", "bob", 5)).contains("\"committed\"");
        List<ProcessHandle> leftovers = serve.descendants().toList();

        serve.destroyForcibly();
        assertThat(serve.waitFor(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(leftovers).isNotEmpty().allMatch(ProcessHandle::isAlive);

        startServe();

        assertThat(leftovers).noneMatch(ProcessHandle::isAlive);
        assertThat(get("/api/transfers/l1")).contains("\"committed\"");
        assertThat(get("/api/state")).isEqualTo("{\"1\":{\"alice\":995,\"bob\":5},\"2\":{\"carol\":500}}");
    }

    @Test
    void refusesASecondServeOnTheSameDataDirectoryABadStateFileAndABadPort() throws Exception {
        startServe();
        Path badState = directory.resolve("bad.json");
        Files.writeString(badState, "{\"1\":{\"alice\":-5}}");

        Process second =
                command(List.of("serve", "--port", Integer.toString(freePort()), "--data-dir", data().toString()));
        Process bad = command(List.of(
                "serve",
                "--initial-state",
                badState.toString(),
                "--data-dir",
                directory.resolve("other").toString()));
        Process badPort = command(List.of("serve", "--port", "70000", "--data-dir", data().toString()));

        assertRefused(second, "in use by another");
        assertRefused(bad, "clearhouse serve: initial state");
        assertThat(stderr(bad)).contains("negative balance");
        assertRefused(badPort, "clearhouse serve: option --port: must be a port in 1..65535");
    }

    /**
     * Sends transfers around the three accounts from several clients until {@code kill} has run, which happens once
     * enough answers came back, so that some transfers are in flight when it strikes.
     */
    private List<Transfer> runClientsUntilKilled(Map<String, String> answered, Runnable kill) throws Exception {
        Queue<Transfer> sent = new ConcurrentLinkedQueue<>();
        CountDownLatch enoughAnswers = new CountDownLatch(ANSWERS_BEFORE_KILL);
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            for (int client = 0; client < CLIENTS; client++) {
                List<Transfer> mine = new ArrayList<>();
                for (int n = 0; n < TRANSFERS_PER_CLIENT_MAX; n++) {
                    int from = (client + n) % ACCOUNTS.size();
                    mine.add(new Transfer(
                            "k" + client + "-" + n,
                            ACCOUNTS.get(from),
                            ACCOUNTS.get((from + 1) % ACCOUNTS.size()),
                            1 + n % 7));
                }
                clients.execute(() -> send(mine, sent, answered, enoughAnswers, killed));
            }
            assertThat(enoughAnswers.await(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .isTrue();
            kill.run();
            killed.set(true);
        } finally {
            clients.shutdownNow();
            assertThat(clients.awaitTermination(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .isTrue();
        }
        return List.copyOf(sent);
    }

    /** Sends one client's transfers in turn; {@code sent} gets each before it goes, {@code answered} its outcome. */
    private void send(
            List<Transfer> transfers,
            Queue<Transfer> sent,
            Map<String, String> answered,
            CountDownLatch answers,
            AtomicBoolean killed) {
        for (Transfer transfer : transfers) {
            if (killed.get()) {
                return;
            }
            sent.add(transfer);
            try {
                HttpResponse<String> response =
                        postResponse(transfer.id(), transfer.from(), transfer.to(), transfer.amount());
                if (response.statusCode() == 200) {
                    answered.put(
                            transfer.id(),
                            JSON.readTree(response.body()).path("status").asText());
                    answers.countDown();
                }
            } catch (IOException | InterruptedException unanswered) {
                // The server was killed under this request; its outcome is whatever recovery made of it.
                return;
            }
        }
    }

    /** SIGKILL of the launcher, Payara Micro and PostgreSQL, found by pid before any of them dies. */
    private void sigkillEverything(Process serve) {
        List<ProcessHandle> victims = new ArrayList<>(serve.descendants().toList());
        victims.add(postgres().orElseThrow());
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

    private String status(String id) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/transfers/" + id))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 404
                ? "unknown"
                : JSON.readTree(response.body()).path("status").asText();
    }

    private Process startServe() throws Exception {
        return startServe("--initial-state", state);
    }

    /** Starts serve with its banks from {@code banksOption} ({@code --initial-state} or {@code --banks-file}). */
    private Process startServe(String banksOption, Path banksInput) throws Exception {
        Process serve = command(List.of(
                "serve",
                banksOption,
                banksInput.toString(),
                "--port",
                Integer.toString(port),
                "--data-dir",
                data().toString()));
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!stdout(serve).contains("ready at")) {
            assertThat(serve.isAlive()).as("serve ended: " + stderr(serve)).isTrue();
            assertThat(System.nanoTime()).as("serve was not ready in time").isLessThan(deadline);
            // The ready line is the only signal serve gives; its file is polled.
            serve.waitFor(200, TimeUnit.MILLISECONDS);
        }
        assertThat(stdout(serve)).contains("http://localhost:" + port + "/api");
        seen.addAll(serve.descendants().toList());
        postgres().ifPresent(seen::add);
        return serve;
    }

    private void assertRefused(Process process, String message) throws Exception {
        assertThat(process.waitFor(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr(process)).contains(message);
    }

    private Process command(List<String> arguments) throws IOException {
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
                .redirectError(
                        output.resolveSibling(output.getFileName() + ".err").toFile())
                .start();
        seen.add(process.toHandle());
        outputs.put(process.pid(), output);
        return process;
    }

    private String stdout(Process process) throws IOException {
        return Files.readString(outputs.get(process.pid()));
    }

    private String stderr(Process process) throws IOException {
        Path output = outputs.get(process.pid());
        return Files.readString(output.resolveSibling(output.getFileName() + ".err"));
    }

    private Path data() {
        return directory.resolve("data");
    }

    /** The postmaster of the data directory's cluster, from its pid file (pg_ctl detaches it from serve). */
    private Optional<ProcessHandle> postgres() {
        try {
            Path pidFile = clusterDirectory().resolve("pgdata/postmaster.pid");
            return ProcessHandle.of(
                    Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Where serve put the cluster: in the data directory unless {@code postgres.location} names another place. */
    private Path clusterDirectory() throws IOException {
        ServeLayout layout = new ServeLayout(data());
        return Files.exists(layout.postgresLocation())
                ? Path.of(Files.readString(layout.postgresLocation()).strip())
                : layout.postgres();
    }

    private String post(String id, String from, String to, long amount) throws IOException, InterruptedException {
        return postResponse(id, from, to, amount).body();
    }

    private HttpResponse<String> postResponse(String id, String from, String to, long amount)
            throws IOException, InterruptedException {
        String body =
                "{\"id\":\"" + id + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"amount\":" + amount + "}";
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/transfers"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private record Transfer(String id, String from, String to, long amount) {}
}
