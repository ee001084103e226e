package io.clearhouse.cli;

import io.clearhouse.postgres.PostgresCluster;
import io.clearhouse.postgres.PostgresException;
import io.clearhouse.postgres.PostgresOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the server on this machine: a PostgreSQL cluster for the decision log under the data directory (or the
 * database of {@code CLEARHOUSE_JDBC_URL}), and Payara Micro with the WAR and memory banks whose write-ahead log is
 * in the data directory. Ctrl-C or SIGTERM stops both; after a crash of all of them, the same command comes back with
 * every committed transfer and recorded outcome, and recovery resolves what was in flight.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Runs the Clearhouse server (Payara Micro, PostgreSQL decision log, demo memory banks).")
final class ServeCommand implements Callable<Integer> {
    static final String DEMO_STATE_PROPERTY = "clearhouse.demo.state";
    static final String SERVER_JVM_OPTIONS_VARIABLE = "CLEARHOUSE_SERVER_JAVA_OPTS";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final int LOG_TAIL_LINES = 30;

    private final AtomicBoolean stopping = new AtomicBoolean();

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--initial-state",
            paramLabel = "STATE.json",
            description = "Banks and opening balances, as for batch; they seed the banks on the first start only.")
    private Path initialState;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--data-dir",
            defaultValue = "./data",
            paramLabel = "DIR",
            description = "Where the database, the banks' log and the server's files live (default: ${DEFAULT-VALUE}).")
    private Path dataDirectory;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ServeLayout layout = new ServeLayout(dataDirectory);
        try {
            checkPort();
            InitialState state = initialState == null ? null : InitialStateReader.read(initialState);
            Files.createDirectories(layout.root());
            try (FileChannel lockFile =
                            FileChannel.open(layout.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockFile.tryLock()) {
                if (lock == null) {
                    throw new InputFileException(
                            "data directory", layout.root(), "is in use by another 'clearhouse serve'");
                }
                prepareBanksFile(layout, state);
                return run(layout, err);
            }
        } catch (InputFileException e) {
            return refuse(err, e.getMessage());
        } catch (PostgresException e) {
            err.println("clearhouse serve: the decision log's database did not start: " + e.getMessage());
            err.flush();
            return BatchCommand.EXIT_FAILED;
        }
    }

    private void checkPort() throws InputFileException {
        if (port < 1 || port > 65_535) {
            throw new InputFileException("option", Path.of("--port"), "must be a port in 1..65535, not " + port);
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new InputFileException("option", Path.of("--port"), "port " + port + " is in use");
        }
    }

    private static void prepareBanksFile(ServeLayout layout, InitialState state)
            throws IOException, InputFileException {
        if (state != null) {
            ServeFiles.writeBanksFile(layout, state);
        } else if (!Files.exists(layout.banksFile())) {
            Path demo = Path.of(System.getProperty(DEMO_STATE_PROPERTY, "examples/state.json"));
            ServeFiles.writeBanksFile(layout, InitialStateReader.read(demo));
        }
    }

    private int run(ServeLayout layout, PrintWriter err) throws IOException, InterruptedException {
        PostgresCluster database =
                PostgresCluster.persistentOrExisting(clusterDirectory(layout), PostgresOptions.defaults());
        PayaraMicroServer server;
        try {
            ServeFiles.writeSystemProperties(layout, database.database());
            server = PayaraMicroServer.start(layout, port, serverJvmOptions());
        } catch (IOException | RuntimeException e) {
            database.close();
            throw e;
        }
        Thread stopper = new Thread(
                () -> {
                    stopping.set(true);
                    stopAll(server, database);
                },
                "clearhouse-serve-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        if (!server.awaitReady(READY_TIMEOUT)) {
            err.println("clearhouse serve: the server did not become ready; the end of " + layout.serverLog() + ":");
            tail(layout.serverLog()).forEach(err::println);
            err.flush();
            return BatchCommand.EXIT_FAILED;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Clearhouse is ready at " + server.baseUri().resolve("/api") + " (data in " + layout.root()
                + ", log in " + layout.serverLog() + ")");
        out.flush();
        int status = server.waitFor();
        if (stopping.get()) {
            return BatchCommand.EXIT_OK;
        }
        err.println("clearhouse serve: the server stopped on its own (exit " + status + "); see " + layout.serverLog());
        err.flush();
        return BatchCommand.EXIT_FAILED;
    }

    /**
     * The cluster's place: in the data directory when PostgreSQL's unprivileged user can reach it; otherwise (a
     * data directory under {@code /root}, say) a directory of its own under {@code /var/tmp/clearhouse}, named after
     * the data directory so the same command finds it again, and written down in the data directory.
     */
    private static Path clusterDirectory(ServeLayout layout) throws IOException {
        if (PostgresCluster.isReachableByServer(layout.postgres(), PostgresOptions.defaults())) {
            return layout.postgres();
        }
        Path elsewhere =
                ServeLayout.FALLBACK_POSTGRES_ROOT.resolve(layout.digest()).resolve("postgres");
        Files.writeString(layout.postgresLocation(), elsewhere + System.lineSeparator());
        return elsewhere;
    }

    private static List<String> serverJvmOptions() {
        String configured = System.getenv(SERVER_JVM_OPTIONS_VARIABLE);
        return configured == null || configured.isBlank()
                ? List.of("-Xmx1g")
                : List.of(configured.trim().split("\\s+"));
    }

    /** Stops the server first, so it closes banks and decision log while the database is still there. */
    private static void stopAll(PayaraMicroServer server, PostgresCluster database) {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            database.close();
        }
    }

    private static List<String> tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
        } catch (IOException e) {
            return List.of("(the log cannot be read: " + e.getMessage() + ")");
        }
    }

    private static int refuse(PrintWriter err, String message) {
        err.println("clearhouse serve: " + message);
        err.flush();
        return BatchCommand.EXIT_BAD_INPUT;
    }
}
