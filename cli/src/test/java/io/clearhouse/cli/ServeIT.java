package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.bankserver.BankServerProcess;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterRegistry;
import io.clearhouse.spi.BankConfig;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
    private static final Duration GONE_TIMEOUT = ServeUnderTest.GONE_TIMEOUT;
    private static final String STATE = "{\"1\":{\"alice\":1000,\"bob\":0},\"2\":{\"carol\":500}}";
    private static final List<String> ACCOUNTS = List.of("alice", "bob", "carol");
    private static final int ANSWERS_BEFORE_KILL = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServeUnderTest server;
    private Path directory;
    private Path state;

    @BeforeEach
    void prepare() throws IOException {
        server = ServeUnderTest.inNewDirectory("serve-it-");
        directory = server.directory();
        state = directory.resolve("state.json");
        Files.writeString(state, STATE);
    }

    @AfterEach
    void killEverything() throws Exception {
        Optional<ProcessHandle> postgres = server.postgres();
        server.killEverything();
        // A cluster outside the data directory is outside target/ too, so it goes with the test.
        Path cluster = server.clusterDirectory();
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
        assertThat(server.clusterDirectory()).isEqualTo(new ServeLayout(server.data()).postgres());
        assertThat(post("t1", "alice", "carol", 30)).contains("\"committed\"");
        List<ProcessHandle> children = serve.descendants().toList();
        ProcessHandle postgres = server.postgres().orElseThrow();

        serve.destroy();

        assertThat(serve.waitFor(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(serve.exitValue()).isZero();
        assertThat(children).isNotEmpty().noneMatch(ProcessHandle::isAlive);
        assertThat(postgres.onExit()
                        .get(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                        .isAlive())
                .isFalse();
        startServe();
        assertThat(server.get("/api/transfers/t1")).contains("\"committed\"").contains("\"amount\":30");
        assertThat(server.get("/api/state")).isEqualTo("{\"1\":{\"alice\":970,\"bob\":0},\"2\":{\"carol\":530}}");
    }

    /**
     * The key pair and certificate are made in the data directory on the first start; the ready line names the https
     * URL; a client that trusts the certificate moves money with a token of the token command, which prints that token
     * alone; without a token or with a read token the transfer is refused.
     */
    @Test
    void servesHttpsWithItsOwnCertificateAndTokensOfTheTokenCommand() throws Exception {
        Process serve = server.start(READY_TIMEOUT, List.of("--initial-state", state.toString(), "--tls"));
        ServeLayout layout = new ServeLayout(server.data());
        assertThat(server.stdout(serve)).contains("ready at https://localhost:" + server.port() + "/api");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(layout.signingKeys().privateKey())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.tlsPassword())))
                .isEqualTo("rw-------");

        String transferToken = token("transfer,read");
        String readToken = token("read");
        String body = "{\"id\":\"t-tls\",\"from\":\"alice\",\"to\":\"carol\",\"amount\":30}";

        assertThat(server.send("POST", "/api/transfers", body, Optional.empty()).statusCode())
                .isEqualTo(401);
        assertThat(server.send("POST", "/api/transfers", body, Optional.of(readToken))
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> moved = server.send("POST", "/api/transfers", body, Optional.of(transferToken));
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(moved.body()).contains("\"committed\"");
        assertThat(server.send("GET", "/api/state", "", Optional.of(readToken)).body())
                .isEqualTo("{\"1\":{\"alice\":970,\"bob\":0},\"2\":{\"carol\":530}}");
    }

    /** {@code clearhouse token --data-dir DATA --roles ROLES} as a user runs it: one line on stdout, nothing else. */
    private String token(String roles) throws Exception {
        Process token =
                server.command(List.of("token", "--data-dir", server.data().toString(), "--roles", roles));
        assertThat(token.waitFor(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(token.exitValue()).as(server.stderr(token)).isZero();
        assertThat(server.stderr(token)).isEmpty();
        assertThat(server.stdout(token)).matches("[A-Za-z0-9_.-]+\\n");
        return server.stdout(token).strip();
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
            assertThat(server.get("/api/state")).isEqualTo("{\"1\":{\"alice\":970,\"bob\":0},\"2\":{\"carol\":530}}");
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
        List<LoadUntilKill.Transfer> sent = LoadUntilKill.run(
                server, ACCOUNTS, ANSWERS_BEFORE_KILL, READY_TIMEOUT, answered, () -> server.sigkillEverything(serve));

        startServe();

        assertThat(answered).hasSizeGreaterThanOrEqualTo(ANSWERS_BEFORE_KILL);
        server.assertOutcomesKeptAndMoneyConserved(
                Map.of("alice", "1", "bob", "1", "carol", "2"),
                Map.of("alice", 1000L, "bob", 0L, "carol", 500L),
                sent,
                answered);
    }

    @Test
    void aDataDirectoryOnlyItsOwnerCanReachKeepsItsClusterAcrossRestarts() throws Exception {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        Process serve = startServe();
        Path cluster = server.clusterDirectory();
        // As root, PostgreSQL runs as its own user, who cannot enter the directory; any other user runs it directly.
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
            assertThat(cluster).startsWith(ServeLayout.FALLBACK_POSTGRES_ROOT);
        }
        assertThat(post("p1", "alice", "bob", 10)).contains("\"committed\"");

        serve.destroy();
        assertThat(serve.waitFor(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        startServe();

        assertThat(server.clusterDirectory()).isEqualTo(cluster);
        assertThat(server.get("/api/transfers/p1")).contains("\"committed\"");
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
        assertThat(server.get("/api/transfers/l1")).contains("\"committed\"");
        assertThat(server.get("/api/state")).isEqualTo("{\"1\":{\"alice\":995,\"bob\":5},\"2\":{\"carol\":500}}");
    }

    @Test
    void refusesASecondServeOnTheSameDataDirectoryABadStateFileAndABadPort() throws Exception {
        startServe();
        Path badState = directory.resolve("bad.json");
        Files.writeString(badState, "{\"1\":{\"alice\":-5}}");

        Process second = server.command(List.of(
                "serve",
                "--port",
                Integer.toString(ServeUnderTest.freePort()),
                "--data-dir",
                server.data().toString()));
        Process bad = server.command(List.of(
                "serve",
                "--initial-state",
                badState.toString(),
                "--data-dir",
                directory.resolve("other").toString()));
        Process badPort = server.command(
                List.of("serve", "--port", "70000", "--data-dir", server.data().toString()));

        assertRefused(second, "in use by another");
        assertRefused(bad, "clearhouse serve: initial state");
        assertThat(server.stderr(bad)).contains("negative balance");
        assertRefused(badPort, "clearhouse serve: option --port: must be a port in 1..65535");
    }

    private Process startServe() throws Exception {
        return startServe("--initial-state", state);
    }

    /** Starts serve with its banks from {@code banksOption} ({@code --initial-state} or {@code --banks-file}). */
    private Process startServe(String banksOption, Path banksInput) throws Exception {
        return server.start(READY_TIMEOUT, List.of(banksOption, banksInput.toString()));
    }

    private void assertRefused(Process process, String message) throws Exception {
        assertThat(process.waitFor(GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(server.stderr(process)).contains(message);
    }

    private String post(String id, String from, String to, long amount) throws IOException, InterruptedException {
        return server.post(new LoadUntilKill.Transfer(id, from, to, amount)).body();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
