package io.clearhouse.cli;

import io.clearhouse.auth.Role;
import io.clearhouse.bankserver.StopSignals;
import io.clearhouse.postgres.PostgresCluster;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.PostgresException;
import io.clearhouse.postgres.PostgresOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the server on this machine: a PostgreSQL cluster for the decision log under the data directory (or the
 * database of {@code CLEARHOUSE_JDBC_URL}), and Payara Micro with the WAR and demo banks: memory banks whose
 * write-ahead log is in the data directory, or jdbc banks with a database each in the same PostgreSQL. Ctrl-C or
 * SIGTERM stops the server, then PostgreSQL, and the command ends with 0; after a crash of all of them, the same
 * command comes back with every committed transfer and recorded outcome, and recovery resolves what was in flight.
 * The server always requires bearer tokens signed with the key pair the data directory keeps ({@code clearhouse
 * token} prints one), and with {@code --tls} serves HTTPS alone.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Runs the Clearhouse server (Payara Micro, PostgreSQL decision log, demo banks in memory or in"
                + " PostgreSQL, or the banks of a banks file).")
final class ServeCommand implements Callable<Integer> {
    static final String DEMO_STATE_PROPERTY = "clearhouse.demo.state";
    static final String SERVER_JVM_OPTIONS_VARIABLE = "CLEARHOUSE_SERVER_JAVA_OPTS";
    /**
     * As many prepared transactions as connections, as pgjdbc's XA advice has it: every connection of a jdbc-xa bank
     * may hold one, and a prepare that finds no free slot fails.
     */
    private static final PostgresOptions POSTGRES_OPTIONS = PostgresOptions.defaults()
            .withMaxPreparedTransactions(PostgresOptions.defaults().maxConnections());

    private static final int LOG_TAIL_LINES = 30;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--initial-state",
            paramLabel = "STATE.json",
            description = "Banks and opening balances, as for batch; they seed the banks on the first start only.")
    private Path initialState;

    @Option(
            names = "--banks-file",
            paramLabel = "BANKS.json",
            description = "Runs over the banks of this file (any adapter type, bank servers included) instead of the"
                    + " demo banks; kept in the data directory for later starts.")
    private Path banksFile;

    @Option(
            names = "--demo-banks",
            paramLabel = "KIND",
            description = "Where the demo banks (those of --initial-state or examples/state.json) keep their ledgers:"
                    + " memory (a log in the data directory), jdbc (a PostgreSQL database per bank) or jdbc-xa (the"
                    + " same, prepared as PostgreSQL prepared transactions). Default: as on the previous start,"
                    + " memory on the first.")
    private String demoBanks;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--tls",
            description = "Serves HTTPS alone on --port, with the keystore of CLEARHOUSE_TLS_KEYSTORE (and"
                    + " CLEARHOUSE_TLS_KEYSTORE_PASSWORD) or else a self-signed certificate for localhost made in the"
                    + " data directory on the first start.")
    private boolean tls;

    @Mixin
    private MetricsOpenApiRoleOption metricsOpenApiRoleOption;

    /** The role of {@link #metricsOpenApiRoleOption}, once the options are checked. */
    private Optional<Role> metricsOpenApiRole = Optional.empty();

    @Option(
            names = "--data-dir",
            defaultValue = "./data",
            paramLabel = "DIR",
            description = "Where the database, the banks' log and the server's files live (default: ${DEFAULT-VALUE}).")
    private Path dataDirectory;

    @Option(
            names = "--ready-timeout-seconds",
            defaultValue = "300",
            paramLabel = "SECONDS",
            description = "How long the server may take to become ready (default: ${DEFAULT-VALUE}).")
    private long readyTimeoutSeconds;

    @Option(
            names = "--stop-timeout-seconds",
            defaultValue = "60",
            paramLabel = "SECONDS",
            description = "How long the server may take to stop before it is killed (default: ${DEFAULT-VALUE}).")
    private long stopTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ServeLayout layout = new ServeLayout(dataDirectory);
        try {
            checkOptions();
            Optional<DemoBankKind> kind = demoBankKind();
            if (initialState != null) {
                // Checked before the data directory is touched, so that a bad state is the one refusal given.
                InitialStateReader.read(initialState);
            }
            Files.createDirectories(layout.root());
            try (DataDirectoryLock lock = DataDirectoryLock.take(layout.lock(), layout.root(), "serve")) {
                stopLeftoverServers(layout, err);
                checkPortIsFree();
                Optional<ServerTls> serverTls = tls ? Optional.of(ServerTls.choose(layout)) : Optional.empty();
                return run(layout, chooseBanks(layout, kind), serverTls, err);
            }
        } catch (InputFileException e) {
            return refuse(err, e.getMessage());
        } catch (PostgresException e) {
            err.println("clearhouse serve: the decision log's PostgreSQL: " + e.getMessage());
            err.flush();
            return BatchCommand.EXIT_FAILED;
        }
    }

    private void checkOptions() throws InputFileException {
        if (initialState != null && banksFile != null) {
            throw new InputFileException(
                    "option",
                    Path.of("--banks-file"),
                    "excludes --initial-state: the banks come from one or the other");
        }
        if (demoBanks != null && banksFile != null) {
            throw new InputFileException(
                    "option", Path.of("--demo-banks"), "excludes --banks-file: a banks file names its banks' types");
        }
        if (port < 1 || port > 65_535) {
            throw new InputFileException("option", Path.of("--port"), "must be a port in 1..65535, not " + port);
        }
        if (readyTimeoutSeconds < 1) {
            throw new InputFileException(
                    "option", Path.of("--ready-timeout-seconds"), "must be at least 1, not " + readyTimeoutSeconds);
        }
        if (stopTimeoutSeconds < 1) {
            throw new InputFileException(
                    "option", Path.of("--stop-timeout-seconds"), "must be at least 1, not " + stopTimeoutSeconds);
        }
        metricsOpenApiRole = metricsOpenApiRoleOption.role();
    }

    private Optional<DemoBankKind> demoBankKind() throws InputFileException {
        if (demoBanks == null) {
            return Optional.empty();
        }
        return Optional.of(DemoBankKind.fromOption(demoBanks)
                .orElseThrow(() -> new InputFileException(
                        "option",
                        Path.of("--demo-banks"),
                        "must be one of " + DemoBankKind.optionValues() + ", not " + demoBanks)));
    }

    private void checkPortIsFree() throws InputFileException {
        if (!PayaraMicroServer.isPortFree(port)) {
            throw new InputFileException("option", Path.of("--port"), "port " + port + " is in use");
        }
    }

    /**
     * Stops a server that an earlier {@code serve} left running when only the launcher was killed: it holds the
     * banks' log and maybe the port, and nothing would ever stop it otherwise.
     */
    private void stopLeftoverServers(ServeLayout layout, PrintWriter err) throws InterruptedException {
        for (ProcessHandle leftover : PayaraMicroServer.leftovers(layout.payaraMicro())) {
            err.println("clearhouse serve: stopping the server (process " + leftover.pid()
                    + ") that an earlier serve left running on " + layout.root());
            err.flush();
            PayaraMicroServer.stop(leftover, Duration.ofSeconds(stopTimeoutSeconds));
        }
    }

    /**
     * The banks this start makes itself, or empty when the server runs over a banks file: the one given now, or the
     * one an earlier start copied. Without options, the banks of the earlier start are made again; {@code
     * --initial-state} replaces the state and keeps the kind.
     */
    private Optional<DemoBanks> chooseBanks(ServeLayout layout, Optional<DemoBankKind> kind)
            throws IOException, InputFileException {
        if (banksFile != null) {
            ServeFiles.copyBanksFile(layout, banksFile);
            DemoBanks.forget(layout);
            return Optional.empty();
        }
        Optional<DemoBanks> recorded = DemoBanks.recorded(layout);
        boolean keepsCopiedBanksFile = recorded.isEmpty() && Files.exists(layout.banksFile());
        if (keepsCopiedBanksFile && initialState == null && kind.isEmpty()) {
            return Optional.empty();
        }
        Path state = initialState != null
                ? initialState
                : recorded.isPresent()
                        ? layout.demoBanksState()
                        : Path.of(System.getProperty(DEMO_STATE_PROPERTY, "examples/state.json"));
        DemoBankKind chosen = kind.or(() -> recorded.map(DemoBanks::kind)).orElse(DemoBankKind.MEMORY);
        if (recorded.isPresent() && recorded.get().kind() != chosen) {
            throw kindChange(layout, recorded.get().kind());
        }
        return Optional.of(DemoBanks.record(layout, chosen, state));
    }

    /**
     * Each kind keeps ledgers of its own, and branches left in one after a crash would never be finished by the other
     * (an xa bank releases escrow holds that voted COMMIT, taking them for prepares that never voted), so a data
     * directory keeps the kind of its first start.
     */
    private static InputFileException kindChange(ServeLayout layout, DemoBankKind recorded) {
        return new InputFileException(
                "option",
                Path.of("--demo-banks"),
                "the banks of " + layout.root() + " are " + recorded.optionValue()
                        + " banks; another kind needs another --data-dir");
    }

    /** Writes the banks file of serve's own banks, creating the databases of jdbc banks where missing. */
    private static void writeDemoBanksFile(ServeLayout layout, DemoBanks banks, PostgresDatabase server)
            throws IOException {
        switch (banks.kind()) {
            case MEMORY -> ServeFiles.writeBanksFile(layout, banks.state());
            case JDBC -> ServeFiles.writeJdbcBanksFile(layout, banks.state(), "escrow", databases(server, banks));
            case JDBC_XA -> ServeFiles.writeJdbcBanksFile(layout, banks.state(), "xa", databases(server, banks));
        }
    }

    private static Map<String, PostgresDatabase> databases(PostgresDatabase server, DemoBanks banks) {
        return DemoBankDatabases.createIfMissing(server, banks.state().banks().keySet());
    }

    /** Starts PostgreSQL, then the server; stops them in the opposite order, whatever ends the run. */
    private int run(ServeLayout layout, Optional<DemoBanks> banks, Optional<ServerTls> serverTls, PrintWriter err)
            throws IOException, InterruptedException {
        StopSignals stop = StopSignals.install();
        stop.requested().thenAccept(signal -> err.println("clearhouse serve: " + signal + ", stopping"));
        try (PostgresCluster database =
                PostgresCluster.persistentOrExisting(clusterDirectory(layout), POSTGRES_OPTIONS)) {
            if (stop.isRequested()) {
                return BatchCommand.EXIT_OK;
            }
            if (banks.isPresent()) {
                writeDemoBanksFile(layout, banks.get(), database.database());
            }
            layout.signingKeys().createIfMissing();
            ServeFiles.writeSystemProperties(layout, database.database(), serverTls, metricsOpenApiRole);
            PayaraMicroServer server =
                    PayaraMicroServer.start(layout.payaraMicro(), port, serverJvmOptions(), serverTls);
            try {
                return serveUntilStopped(layout, banks, server, stop, err);
            } finally {
                server.stop(Duration.ofSeconds(stopTimeoutSeconds));
            }
        }
    }

    private int serveUntilStopped(
            ServeLayout layout, Optional<DemoBanks> banks, PayaraMicroServer server, StopSignals stop, PrintWriter err)
            throws InterruptedException, IOException {
        if (!server.awaitReady(Duration.ofSeconds(readyTimeoutSeconds), stop)) {
            if (stop.isRequested()) {
                return BatchCommand.EXIT_OK;
            }
            err.println("clearhouse serve: the server did not become ready; the end of " + layout.serverLog() + ":");
            layout.payaraMicro().logTail(LOG_TAIL_LINES).forEach(err::println);
            err.flush();
            return BatchCommand.EXIT_FAILED;
        }
        PrintWriter out = spec.commandLine().getOut();
        // The default's line stays as it always was: scripts wait for it.
        String kind = banks.map(DemoBanks::kind)
                .filter(demo -> demo != DemoBankKind.MEMORY)
                .map(demo -> demo.optionValue() + " banks, ")
                .orElse("");
        out.println("Clearhouse is ready at " + server.baseUri().resolve("/api") + " (" + kind + "data in "
                + layout.root() + ", log in " + layout.serverLog() + ")");
        out.flush();
        CompletableFuture.anyOf(server.onExit(), stop.requested()).join();
        if (stop.isRequested()) {
            return BatchCommand.EXIT_OK;
        }
        err.println("clearhouse serve: the server stopped on its own (exit "
                + server.onExit().join().exitValue() + "); see " + layout.serverLog());
        err.flush();
        return BatchCommand.EXIT_FAILED;
    }

    /**
     * The cluster's place: where the data directory's {@code postgres.location} says, or in the data directory, or, on
     * the first start, when PostgreSQL's unprivileged user cannot reach the data directory (under {@code /root}, say),
     * a new directory of its own under {@code /var/tmp/clearhouse}, written down before it is made. A new name each
     * time, never one derived from the data directory's path: a data directory deleted to start over must not find
     * the old decision log again.
     */
    private static Path clusterDirectory(ServeLayout layout) throws IOException {
        if (Files.exists(layout.postgresLocation())) {
            return Path.of(Files.readString(layout.postgresLocation()).strip());
        }
        if (Files.exists(layout.postgres())
                || PostgresCluster.isReachableByServer(layout.postgres(), POSTGRES_OPTIONS)) {
            return layout.postgres();
        }
        Path elsewhere = ServeLayout.FALLBACK_POSTGRES_ROOT
                .resolve(UUID.randomUUID().toString())
                .resolve("postgres");
        Path temporary = layout.postgresLocation().resolveSibling("postgres.location.tmp");
        Files.writeString(temporary, elsewhere + System.lineSeparator());
        Files.move(temporary, layout.postgresLocation(), StandardCopyOption.ATOMIC_MOVE);
        return elsewhere;
    }

    /**
     * The server's JVM options. Objects that outlive a request (outcomes kept for retries, the banks' markers of
     * finished branches) live for seconds to minutes; promoted at their first collection instead of being copied
     * between survivor spaces up to fifteen times, they halve G1's young pauses under load (docs/benchmarks.md).
     */
    private static List<String> serverJvmOptions() {
        String configured = System.getenv(SERVER_JVM_OPTIONS_VARIABLE);
        return configured == null || configured.isBlank()
                ? List.of("-Xmx1g", "-XX:MaxTenuringThreshold=1")
                : List.of(configured.trim().split("\\s+"));
    }

    private static int refuse(PrintWriter err, String message) {
        err.println("clearhouse serve: " + message);
        err.flush();
        return BatchCommand.EXIT_BAD_INPUT;
    }
}
