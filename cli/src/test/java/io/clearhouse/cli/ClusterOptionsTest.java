package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code cluster} refuses before it starts anything: no node, no bank server, exit code 2 and one line. */
class ClusterOptionsTest {
    @TempDir
    Path directory;

    @Test
    void refusesAnInitialStateAndABanksFileTogether() throws IOException {
        Path state = Files.writeString(directory.resolve("state.json"), "{\"1\":{\"a\":1}}");
        Path banks = Files.writeString(directory.resolve("banks.json"), "{\"banks\":[]}");

        assertRefused(
                cluster("--initial-state", state.toString(), "--banks-file", banks.toString()),
                "option --banks-file: excludes --initial-state");
    }

    @Test
    void refusesANodeCountOutsideOneToNine() {
        assertRefused(cluster("--nodes", "0"), "option --nodes: must be in 1..9");
        assertRefused(cluster("--nodes", "10"), "option --nodes: must be in 1..9");
        assertRefused(cluster("--nodes", "three"), "Invalid value for option '--nodes'");
    }

    @Test
    void refusesPortsBeyondTheRangeAndRaftPortsOverlappingTheApiPorts() {
        assertRefused(cluster("--port", "65534"), "option --port: the nodes' ports 65534..65536 must lie in 1..65535");
        assertRefused(
                cluster("--port", "20000", "--raft-port", "20002"),
                "option --raft-port: the Raft ports 20002..20004 overlap the API ports 20000..20002");
        assertRefused(cluster("--port", "20000", "--raft-port", "0"), "option --raft-port: the nodes' ports 0..2 must");
    }

    @Test
    void refusesAMetricsOpenApiRoleThatIsNoRoleNamingTheRoles() {
        assertRefused(
                cluster("--metrics-openapi-role", "Operator"),
                "option --metrics-openapi-role: must be one of transfer, read, operator, not 'Operator'");
    }

    @Test
    void refusesANegativeRestartDelay() {
        assertRefused(
                cluster("--restart-delay-seconds", "-1"), "option --restart-delay-seconds: must be at least 0, not -1");
    }

    @Test
    void refusesAPortInUseNamingTheNodeItBelongsTo() throws IOException {
        int first = freePortRange(3);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(first + 1));

            assertRefused(
                    cluster("--port", Integer.toString(first), "--raft-port", Integer.toString(first + 10)),
                    "option --port: port " + (first + 1) + " (node 2's API port) is in use");
        }
        assertThat(directory.resolve("data").resolve("cluster.properties")).doesNotExist();
    }

    @Test
    void refusesAnotherNodeCountOnADataDirectoryMadeForThree() throws IOException {
        Path data = Files.createDirectories(directory.resolve("data"));
        Files.writeString(
                data.resolve("cluster.properties"),
                "group-id=1b4e28ba-2fa1-11d2-883f-0016d3cca427\nnodes=3\nbanks=BANK_SERVER\n");
        int first = freePortRange(10);

        assertRefused(
                cluster("--nodes", "5", "--port", Integer.toString(first), "--raft-port", Integer.toString(first + 5)),
                "holds a cluster of 3 nodes; --nodes 5 needs another data directory");
    }

    /** Runs {@code cluster} in this process on the test's data directory with {@code options}. */
    private CommandRun cluster(String... options) {
        List<String> arguments = new ArrayList<>(
                List.of("cluster", "--data-dir", directory.resolve("data").toString()));
        arguments.addAll(List.of(options));
        return CommandRun.of(arguments.toArray(String[]::new));
    }

    private static void assertRefused(CommandRun run, String problem) {
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().strip())
                .doesNotContain("\n")
                .startsWith("clearhouse cluster: ")
                .contains(problem);
    }

    /** The first of {@code count} consecutive ports that are free now. */
    static int freePortRange(int count) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first;
            try (ServerSocket socket = new ServerSocket(0)) {
                first = socket.getLocalPort();
            }
            if (first + count <= 65_535 && allFree(first, count)) {
                return first;
            }
        }
        throw new IOException("no " + count + " consecutive free ports found");
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            if (!PayaraMicroServer.isPortFree(port)) {
                return false;
            }
        }
        return true;
    }
}
