package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code clearhouse serve} as users run it, from the shaded jar with the built WAR: ready line, a transfer over HTTP,
 * SIGTERM stopping Payara and PostgreSQL, and a restart after SIGKILL of everything that keeps every commit. Every
 * process is killed by pid after each test, whatever happened.
 */
class ServeIT {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    private static final String STATE = "{\"1\":{\"alice\":1000,\"bob\":0},\"2\":{\"carol\":500}}";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ProcessHandle> started = new ArrayList<>();
    private Path directory;
    private Path state;
    private int port;

    @BeforeEach
    void prepare() throws IOException {
        directory = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "serve-it-");
        state = directory.resolve("state.json");
        Files.writeString(state, STATE);
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    @AfterEach
    void killEverything() {
        for (ProcessHandle process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        postgresPid().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void sigtermStopsPayaraAndPostgresAndARestartKeepsTheTransfer() throws Exception {
        Process serve = startServe();
        assertThat(post("{\"id\":\"t1\",\"from\":\"alice\",\"to\":\"carol\",\"amount\":30}"))
                .contains("\"committed\"");
        List<ProcessHandle> children = serve.descendants().toList();
        long postgres = postgresPid().orElseThrow();

        serve.destroy();

        assertThat(serve.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(children).isNotEmpty().noneMatch(ProcessHandle::isAlive);
        assertThat(ProcessHandle.of(postgres).filter(ProcessHandle::isAlive)).isEmpty();
        startServe();
        assertThat(get("/api/transfers/t1")).contains("\"committed\"").contains("\"amount\":30");
        assertThat(get("/api/state")).isEqualTo("{\"1\":{\"alice\":970,\"bob\":0},\"2\":{\"carol\":530}}");
    }

    @Test
    void afterSigkillOfEverythingTheSameCommandComesBackWithEveryCommit() throws Exception {
        Process serve = startServe();
        for (int n = 0; n < 20; n++) {
            assertThat(post("{\"id\":\"k" + n + "\",\"from\":\"alice\",\"to\":\"bob\",\"amount\":1}"))
                    .contains("\"committed\"");
        }
        serve.descendants().forEach(ProcessHandle::destroyForcibly);
        serve.destroyForcibly();
        ProcessHandle.of(postgresPid().orElseThrow()).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();

        startServe();

        assertThat(get("/api/state")).isEqualTo("{\"1\":{\"alice\":980,\"bob\":20},\"2\":{\"carol\":500}}");
        assertThat(get("/api/transfers/k19")).contains("\"committed\"");
        assertThat(get("/api/accounts/alice")).contains("\"held\":0");
    }

    @Test
    void refusesASecondServeOnTheSameDataDirectoryAndABadStateFile() throws Exception {
        startServe();
        Path badState = directory.resolve("bad.json");
        Files.writeString(badState, "{\"1\":{\"alice\":-5}}");

        int otherPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            otherPort = socket.getLocalPort();
        }
        Process second = command(List.of(
                "serve",
                "--port",
                Integer.toString(otherPort),
                "--data-dir",
                directory.resolve("data").toString()));
        Process bad = command(List.of(
                "serve",
                "--initial-state",
                badState.toString(),
                "--data-dir",
                directory.resolve("other").toString()));

        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(2);
        assertThat(Files.readString(directory.resolve("stderr-" + second.pid())))
                .contains("in use by another");
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isEqualTo(2);
        assertThat(Files.readString(directory.resolve("stderr-" + bad.pid())))
                .startsWith("clearhouse serve: initial state")
                .contains("negative balance");
    }

    private Process startServe() throws Exception {
        Process serve = command(List.of(
                "serve",
                "--initial-state",
                state.toString(),
                "--port",
                Integer.toString(port),
                "--data-dir",
                directory.resolve("data").toString()));
        Path out = directory.resolve("stdout-" + serve.pid());
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!Files.readString(out).contains("ready at")) {
            assertThat(serve.isAlive())
                    .as("serve ended: " + Files.readString(directory.resolve("stderr-" + serve.pid())))
                    .isTrue();
            assertThat(System.nanoTime()).as("serve was not ready in time").isLessThan(deadline);
            // The ready line is the only signal serve gives; its file is polled.
            serve.waitFor(200, TimeUnit.MILLISECONDS);
        }
        assertThat(Files.readString(out)).contains("http://localhost:" + port + "/api");
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
        Path placeholder = directory.resolve("starting");
        Process process = new ProcessBuilder(command)
                .redirectOutput(placeholder.toFile())
                .redirectError(directory.resolve("starting-err").toFile())
                .start();
        started.add(process.toHandle());
        Files.move(placeholder, directory.resolve("stdout-" + process.pid()));
        Files.move(directory.resolve("starting-err"), directory.resolve("stderr-" + process.pid()));
        return process;
    }

    private Optional<Long> postgresPid() {
        Path pidFile = new ServeLayout(directory.resolve("data")).postgres().resolve("pgdata/postmaster.pid");
        if (Files.exists(new ServeLayout(directory.resolve("data")).postgresLocation())) {
            pidFile = ServeLayout.FALLBACK_POSTGRES_ROOT
                    .resolve(new ServeLayout(directory.resolve("data")).digest())
                    .resolve("postgres/pgdata/postmaster.pid");
        }
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private String post(String body) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/transfers"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private String get(String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
