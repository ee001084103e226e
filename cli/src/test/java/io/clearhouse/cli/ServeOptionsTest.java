package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code serve} refuses before it starts anything: no PostgreSQL, no server, exit code 2 and one line. */
class ServeOptionsTest {
    @TempDir
    Path directory;

    @Test
    void refusesAnInitialStateAndABanksFileTogether() throws IOException {
        Path state = Files.writeString(directory.resolve("state.json"), "{\"1\":{\"a\":1}}");
        Path banks = Files.writeString(directory.resolve("banks.json"), "{\"banks\":[]}");

        CommandRun run = CommandRun.of(
                "serve",
                "--initial-state",
                state.toString(),
                "--banks-file",
                banks.toString(),
                "--data-dir",
                directory.resolve("data").toString());

        assertRefused(run, "option --banks-file: excludes --initial-state");
    }

    @Test
    void refusesABanksFileTheServerCouldNotUseNamingTheBankAndField() throws IOException {
        Path banks = Files.writeString(
                directory.resolve("banks.json"),
                "{\"banks\":[{\"id\":\"1\",\"type\":\"remote\",\"settings\":{\"url\":7}}]}");

        CommandRun run = CommandRun.of(
                "serve",
                "--banks-file",
                banks.toString(),
                "--data-dir",
                directory.resolve("data").toString(),
                "--port",
                Integer.toString(freePort()));

        assertRefused(run, "banks[0].settings.url must be a string");
        assertThat(directory.resolve("data").resolve("banks.json")).doesNotExist();
    }

    @Test
    void refusesAnUnknownDemoBanksKindNamingTheKnownOnes() {
        CommandRun run = CommandRun.of(
                "serve",
                "--demo-banks",
                "oracle",
                "--data-dir",
                directory.resolve("data").toString());

        assertRefused(run, "option --demo-banks: must be one of memory, jdbc, jdbc-xa, not oracle");
        assertThat(directory.resolve("data")).doesNotExist();
    }

    @Test
    void refusesDemoBanksWithABanksFile() throws IOException {
        Path banks = Files.writeString(directory.resolve("banks.json"), "{\"banks\":[]}");

        CommandRun run = CommandRun.of(
                "serve",
                "--demo-banks",
                "jdbc",
                "--banks-file",
                banks.toString(),
                "--data-dir",
                directory.resolve("data").toString());

        assertRefused(run, "option --demo-banks: excludes --banks-file");
    }

    @Test
    void refusesAnotherDemoBanksKindOnADataDirectoryThatHasOne() throws Exception {
        Path state = Files.writeString(directory.resolve("state.json"), "{\"1\":{\"a\":1}}");
        ServeLayout layout = new ServeLayout(Files.createDirectories(directory.resolve("data")));
        DemoBanks.record(layout, DemoBankKind.JDBC_XA, state);

        CommandRun run = CommandRun.of(
                "serve",
                "--demo-banks",
                "jdbc",
                "--data-dir",
                layout.root().toString(),
                "--port",
                Integer.toString(freePort()));

        assertRefused(run, "option --demo-banks: the banks of " + layout.root() + " are jdbc-xa banks");
        assertThat(DemoBanks.recorded(layout).orElseThrow().kind()).isEqualTo(DemoBankKind.JDBC_XA);
        assertThat(layout.banksFile()).doesNotExist();
    }

    @Test
    void refusesAMetricsOpenApiRoleThatIsNoRoleNamingTheRoles() {
        CommandRun run = CommandRun.of(
                "serve",
                "--metrics-openapi-role",
                "admin",
                "--data-dir",
                directory.resolve("data").toString());

        assertRefused(run, "option --metrics-openapi-role: must be one of transfer, read, operator, not 'admin'");
        assertThat(directory.resolve("data")).doesNotExist();
    }

    private static void assertRefused(CommandRun run, String problem) {
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().strip())
                .doesNotContain("\n")
                .startsWith("clearhouse serve: ")
                .contains(problem);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
