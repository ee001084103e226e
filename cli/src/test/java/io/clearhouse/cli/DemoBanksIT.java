package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.postgres.PostgresDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code clearhouse serve --demo-banks jdbc} and {@code jdbc-xa} from the shaded jar with the built WAR: each bank in
 * a database of its own in serve's PostgreSQL, cross-bank transfers from several clients, then SIGKILL of the
 * launcher, Payara Micro and PostgreSQL with all its backends while transfers are in flight (in xa mode, at a moment
 * when PostgreSQL holds prepared transactions), and serve again on the same data directory without options. Once it
 * is ready, its recovery has run: every outcome a client was told is the recorded one, every account holds its opening
 * balance moved by exactly the committed transfers, nothing is held, and PostgreSQL lists no prepared transaction.
 * Every process seen is killed by pid after each run, whatever happened.
 */
class DemoBanksIT {
    /**
     * serve took up to 4 minutes to be ready on two cores under a load average near 30 (another job's servers), with
     * both modes starting at once; 1 to 2 minutes under lighter load.
     */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(8);

    private static final Duration GONE_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration PREPARED_SEEN_TIMEOUT = Duration.ofSeconds(30);
    private static final String STATE = "{\"1\":{\"alice\":1000},\"2\":{\"carol\":500},\"3\":{\"dave\":300}}";
    private static final Map<String, String> BANK_OF_ACCOUNT = Map.of("alice", "1", "carol", "2", "dave", "3");
    private static final Map<String, Long> OPENING = Map.of("alice", 1000L, "carol", 500L, "dave", 300L);
    private static final List<String> RING = List.of("alice", "carol", "dave");
    private static final int CLIENTS = 8;
    private static final int ANSWERS_BEFORE_KILL = 40;
    private static final int TRANSFERS_PER_CLIENT_MAX = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final Set<ProcessHandle> seen = new LinkedHashSet<>();
    private final Map<Long, Path> outputs = new ConcurrentHashMap<>();

    private Path directory;
    private int port;

    @BeforeEach
    void prepare() throws IOException {
        // PostgreSQL's unprivileged user must be able to reach the data directory for the cluster to live in it.
        directory = Files.createTempDirectory(
                Path.of(System.getProperty("java.io.tmpdir")),
                "demo-banks-it-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(directory.resolve("state.json"), STATE);
        port = freePort();
    }

    /** Descendants are looked up first: a Payara whose launcher is gone has no parent left to be found by. */
    @AfterEach
    void killEverything() throws Exception {
        postgres().ifPresent(seen::add);
        List<ProcessHandle> victims = new ArrayList<>(seen);
        seen.forEach(process -> victims.addAll(process.descendants().toList()));
        victims.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle victim : victims) {
            victim.onExit().get(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Both modes at once: each spends most of its time waiting for its servers to start. */
    @ParameterizedTest(name = "--demo-banks {0}")
    @ValueSource(strings = {"jdbc", "jdbc-xa"})
    @Execution(ExecutionMode.CONCURRENT)
    void afterSigkillOfEverythingUnderLoadServeKeepsEveryCommittedTransferAndLeavesNothingPrepared(String kind)
            throws Exception {
        Process serve = startServe("--demo-banks", kind, "--initial-state", directory.resolve("state.json"));
        assertThat(new ServeLayout(data()).postgresLocation()).doesNotExist();
        assertThat(stdout(serve)).contains("(" + kind + " banks, data in ");
        assertBanksAreJdbcOnTheirOwnDatabases(kind.equals("jdbc") ? "escrow" : "xa");
        Map<String, String> answered = new ConcurrentHashMap<>();

        List<Transfer> sent = runClientsUntilKilled(answered, () -> {
            if (kind.equals("jdbc-xa")) {
                awaitPreparedTransaction();
            }
            sigkillEverything(serve);
        });
        startServe();

        assertBanksAreJdbcOnTheirOwnDatabases(kind.equals("jdbc") ? "escrow" : "xa");
        assertThat(preparedTransactions())
                .as("prepared transactions after recovery")
                .isZero();
        assertThat(answered).hasSizeGreaterThanOrEqualTo(ANSWERS_BEFORE_KILL);
        Map<String, Long> expected = new HashMap<>(OPENING);
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
        assertBalances(expected);
    }

    private void assertBanksAreJdbcOnTheirOwnDatabases(String mode) throws IOException {
        JsonNode banks = JSON.readTree(data().resolve("banks.json").toFile()).path("banks");
        assertThat(banks).hasSize(3);
        for (JsonNode bank : banks) {
            assertThat(bank.path("type").asText()).isEqualTo("jdbc");
            assertThat(bank.path("settings").path("mode").asText()).isEqualTo(mode);
            assertThat(bank.path("settings").path("url").asText())
                    .endsWith("/clearhouse_bank_" + bank.path("id").asText());
        }
    }

    /** Each account's balance over HTTP, nothing held on it, and the sum of all of them the opening sum. */
    private void assertBalances(Map<String, Long> expected) throws Exception {
        JsonNode state = JSON.readTree(get("/api/state"));
        long sum = 0;
        for (String account : RING) {
            long balance =
                    state.path(BANK_OF_ACCOUNT.get(account)).path(account).asLong(-1);
            assertThat(balance).as(account).isEqualTo(expected.get(account));
            assertThat(JSON.readTree(get("/api/accounts/" + account))
                            .path("held")
                            .asLong(-1))
                    .as("held on " + account)
                    .isZero();
            sum += balance;
        }
        assertThat(sum)
                .as("money across the banks")
                .isEqualTo(OPENING.values().stream().mapToLong(Long::longValue).sum());
    }

    /**
     * Sends transfers around the ring of accounts, each to the next bank, from several clients until {@code kill}
     * has run, which happens once enough answers came back, so that some transfers are in flight when it strikes.
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
                    int from = (client + n) % RING.size();
                    mine.add(new Transfer(
                            "k" + client + "-" + n, RING.get(from), RING.get((from + 1) % RING.size()), 1 + n % 7));
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
                HttpResponse<String> response = post(transfer);
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

    /**
     * Returns once PostgreSQL lists a prepared transaction, so that the kill that follows finds branches prepared in
     * the database and recovery has something to finish. Each look is a query, not a pause.
     */
    private void awaitPreparedTransaction() {
        long deadline = System.nanoTime() + PREPARED_SEEN_TIMEOUT.toNanos();
        try (Connection connection = bankDatabase().connect();
                Statement statement = connection.createStatement()) {
            while (count(statement) == 0) {
                assertThat(System.nanoTime())
                        .as("no prepared transaction seen under load")
                        .isLessThan(deadline);
            }
        } catch (IOException | SQLException e) {
            throw new AssertionError("cannot read pg_prepared_xacts", e);
        }
    }

    /** The prepared transactions of the whole cluster: pg_prepared_xacts lists those of every database. */
    private long preparedTransactions() throws IOException, SQLException {
        try (Connection connection = bankDatabase().connect();
                Statement statement = connection.createStatement()) {
            return count(statement);
        }
    }

    private static long count(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_prepared_xacts")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Bank 1's database, as the banks file of the running serve names it (the port changes at every start). */
    private PostgresDatabase bankDatabase() throws IOException {
        JsonNode settings = JSON.readTree(data().resolve("banks.json").toFile())
                .path("banks")
                .path(0)
                .path("settings");
        return new PostgresDatabase(
                settings.path("url").asText(),
                settings.path("user").asText(),
                settings.path("password").asText());
    }

    /** SIGKILL of the launcher, Payara Micro, the postmaster and its backends, all found by pid before any dies. */
    private void sigkillEverything(Process serve) {
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

    private String status(String id) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/transfers/" + id))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 404
                ? "unknown"
                : JSON.readTree(response.body()).path("status").asText();
    }

    private Process startServe(Object... banksOptions) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(
                "serve",
                "--port",
                Integer.toString(port),
                "--data-dir",
                data().toString(),
                "--ready-timeout-seconds",
                Long.toString(READY_TIMEOUT.toSeconds())));
        Stream.of(banksOptions).map(Object::toString).forEach(arguments::add);
        Process serve = command(arguments);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!stdout(serve).contains("ready at")) {
            assertThat(serve.isAlive()).as("serve ended: " + stderr(serve)).isTrue();
            assertThat(System.nanoTime()).as("serve was not ready in time").isLessThan(deadline);
            // The ready line is the only signal serve gives; its file is polled.
            serve.waitFor(200, TimeUnit.MILLISECONDS);
        }
        return serve;
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

    /**
     * The postmaster of serve's cluster, from its pid file (pg_ctl detaches it from serve), if it is still a postgres:
     * the file outlives a killed postmaster, whose pid another process may have taken since.
     */
    private Optional<ProcessHandle> postgres() {
        try {
            Path pidFile = new ServeLayout(data()).postgres().resolve("pgdata/postmaster.pid");
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

    private HttpResponse<String> post(Transfer transfer) throws IOException, InterruptedException {
        String body = "{\"id\":\"" + transfer.id() + "\",\"from\":\"" + transfer.from() + "\",\"to\":\"" + transfer.to()
                + "\",\"amount\":" + transfer.amount() + "}";
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

    private record Transfer(String id, String from, String to, long amount) {}
}
