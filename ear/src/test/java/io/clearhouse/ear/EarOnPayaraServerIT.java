package io.clearhouse.ear;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploys the EAR on a real Payara Server (a domain of its own under target/, on free ports), with a fresh
 * PostgreSQL database and two memory banks, and makes one transfer through the REST API. The domain is stopped, and
 * its JVM killed by pid if it is still there, whatever happens.
 */
@ExtendWith(PostgresExtension.class)
class EarOnPayaraServerIT {
    private static final String DOMAIN = "clearhouse";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

    private final Path home = Path.of(System.getProperty("payara.server.home"));
    private final Path work =
            Path.of(System.getProperty("java.io.tmpdir"), "ear-it").toAbsolutePath();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theEarDeploysOnPayaraServerAndCommitsATransfer(PostgresDatabase cluster) throws Exception {
        PostgresDatabase database = cluster.createFresh();
        deleteTree(work);
        Files.createDirectories(work);
        Path banksFile = writeBanksFile();
        int portBase = freePortBase();
        asadmin(
                Map.of(),
                "create-domain",
                "--nopassword=true",
                "--portbase",
                Integer.toString(portBase),
                "--domaindir",
                work.resolve("domains").toString(),
                DOMAIN);
        Map<String, String> environment = Map.of(
                "CLEARHOUSE_JDBC_URL", database.jdbcUrl(),
                "CLEARHOUSE_JDBC_USER", database.user(),
                "CLEARHOUSE_JDBC_PASSWORD", database.password(),
                "CLEARHOUSE_BANKS_FILE", banksFile.toString());
        try {
            asadmin(
                    environment,
                    "start-domain",
                    "--domaindir",
                    work.resolve("domains").toString(),
                    DOMAIN);
            asadmin(
                    Map.of(),
                    "--port",
                    Integer.toString(portBase + 48),
                    "deploy",
                    "--name",
                    "clearhouse",
                    System.getProperty("clearhouse.ear"));
            URI api = URI.create("http://localhost:" + (portBase + 80) + "/clearhouse/api/");
            awaitReady(api.resolve("state"));

            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(api.resolve("transfers"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"id\":\"ear-1\",\"from\":\"alice\",\"to\":\"carol\",\"amount\":40}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"id\":\"ear-1\",\"status\":\"committed\"}");
            assertThat(get(api.resolve("accounts/alice")))
                    .isEqualTo("{\"account\":\"alice\",\"bank\":\"1\",\"balance\":60,\"held\":0}");
            assertThat(get(api.resolve("accounts/carol")))
                    .isEqualTo("{\"account\":\"carol\",\"bank\":\"2\",\"balance\":40,\"held\":0}");
            asadmin(Map.of(), "--port", Integer.toString(portBase + 48), "undeploy", "clearhouse");
        } finally {
            stopDomain();
        }
    }

    private Path writeBanksFile() throws IOException {
        String group = work.resolve("banks").toString();
        Path file = work.resolve("banks.json");
        Files.writeString(
                file,
                "{\"banks\":[{\"id\":\"1\",\"type\":\"memory\",\"settings\":{\"group\":\"" + group
                        + "\"},\"accounts\":{\"alice\":100}},{\"id\":\"2\",\"type\":\"memory\",\"settings\":{\"group\":\""
                        + group + "\"},\"accounts\":{\"carol\":0}}]}");
        return file;
    }

    /** Every port a domain created with {@code --portbase} opens, as offsets from the base. */
    private static final int[] DOMAIN_PORT_OFFSETS = {37, 38, 39, 48, 49, 59, 66, 76, 80, 81, 86};

    /** A port base whose ports are all free, so the domain clashes with nothing here. */
    private static int freePortBase() {
        for (int base = 21_000; base < 60_000; base += 100) {
            int candidate = base;
            if (java.util.Arrays.stream(DOMAIN_PORT_OFFSETS).allMatch(offset -> free(candidate + offset))) {
                return base;
            }
        }
        throw new IllegalStateException("no free port base");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitReady(URI probe) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest request = HttpRequest.newBuilder(probe).build();
        while (true) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListening) {
                // Not deployed yet.
            }
            assertThat(System.nanoTime()).as("the EAR did not become ready").isLessThan(deadline);
            // The application gives no other signal than its answers: it is polled.
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private String get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private void stopDomain() throws Exception {
        Path pidFile = work.resolve("domains").resolve(DOMAIN).resolve("config").resolve("pid");
        long pid =
                Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).trim()) : -1;
        try {
            asadmin(
                    Map.of(),
                    "stop-domain",
                    "--domaindir",
                    work.resolve("domains").toString(),
                    DOMAIN);
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private void asadmin(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin").resolve("asadmin").toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        work.resolve("asadmin.log").toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("AS_JAVA", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("asadmin " + String.join(" ", arguments) + " did not finish");
        }
        assertThat(process.exitValue())
                .as("asadmin " + String.join(" ", arguments) + ": " + Files.readString(work.resolve("asadmin.log")))
                .isZero();
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
