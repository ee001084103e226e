package io.clearhouse.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A PostgreSQL server and one database on it, in one of three modes.
 *
 * <ul>
 *   <li><b>Throwaway</b> ({@link #startThrowaway}): a new cluster in a random directory under {@code /tmp}, started
 *       on a free loopback port and, at {@link #close()}, stopped immediately and deleted. A JVM shutdown hook does
 *       the same if nobody closes it.
 *   <li><b>Persistent</b> ({@link #startPersistent}): a cluster in a directory that survives restarts; the first
 *       start creates it, later starts reuse it. {@link #close()} stops it cleanly and keeps the files.
 *   <li><b>Existing</b> ({@link #existing}): a database somebody else runs, named by {@code CLEARHOUSE_JDBC_URL},
 *       {@code CLEARHOUSE_JDBC_USER} and {@code CLEARHOUSE_JDBC_PASSWORD}; nothing is started or stopped.
 * </ul>
 *
 * <p>Managed clusters listen on 127.0.0.1 only, keep their Unix socket inside the data directory, allow
 * {@code max_prepared_transactions} prepared transactions (XA needs them) and keep fsync on unless told otherwise.
 */
public final class PostgresCluster implements AutoCloseable {
    public static final String JDBC_URL_VARIABLE = "CLEARHOUSE_JDBC_URL";
    public static final String JDBC_USER_VARIABLE = "CLEARHOUSE_JDBC_USER";
    public static final String JDBC_PASSWORD_VARIABLE = "CLEARHOUSE_JDBC_PASSWORD";

    private final PostgresDatabase database;
    private final ServerProcess server;
    private final ClusterDirectory directory;
    private final boolean throwaway;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private PostgresCluster(
            PostgresDatabase database, ServerProcess server, ClusterDirectory directory, boolean throwaway) {
        this.database = database;
        this.server = server;
        this.directory = directory;
        this.throwaway = throwaway;
        this.shutdownHook = server == null ? null : new Thread(this::closeAtExit, "postgres-cluster-shutdown");
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** The database named by the environment if there is one, else a new throwaway cluster. */
    public static PostgresCluster throwawayOrExisting(PostgresOptions options) {
        return databaseFromEnvironment(System.getenv())
                .map(PostgresCluster::existing)
                .orElseGet(() -> startThrowaway(options));
    }

    /**
     * Whether a persistent cluster may live in {@code directory}: when the JVM runs as root, the server runs as the
     * unprivileged user, who must be able to pass through every directory above it (not so under {@code /root}).
     */
    public static boolean isReachableByServer(Path directory, PostgresOptions options) {
        return RunAs.detect(options.unprivilegedUser()).firstBlocking(directory).isEmpty();
    }

    /** The database named by the environment if there is one, else the persistent cluster in {@code directory}. */
    public static PostgresCluster persistentOrExisting(Path directory, PostgresOptions options) {
        return databaseFromEnvironment(System.getenv())
                .map(PostgresCluster::existing)
                .orElseGet(() -> startPersistent(directory, options));
    }

    /** Uses a database that somebody else runs; {@link #close()} leaves it alone. */
    public static PostgresCluster existing(PostgresDatabase database) {
        return new PostgresCluster(database, null, null, false);
    }

    /**
     * Reads {@code CLEARHOUSE_JDBC_URL}, {@code CLEARHOUSE_JDBC_USER} and {@code CLEARHOUSE_JDBC_PASSWORD} from
     * {@code environment}; empty when the URL is unset or blank.
     */
    public static Optional<PostgresDatabase> databaseFromEnvironment(Map<String, String> environment) {
        String url = environment.get(JDBC_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new PostgresDatabase(
                url.trim(),
                environment.getOrDefault(JDBC_USER_VARIABLE, ""),
                environment.getOrDefault(JDBC_PASSWORD_VARIABLE, "")));
    }

    /** Creates, starts and sets up a cluster that {@link #close()} stops and deletes. */
    public static PostgresCluster startThrowaway(PostgresOptions options) {
        Path bin = Binaries.locate(options.binDirectory());
        RunAs runAs = RunAs.detect(options.unprivilegedUser());
        AbandonedClusters.remove(options.temporaryDirectory(), bin, runAs, options);
        ClusterDirectory directory = ClusterDirectory.createTemporary(options.temporaryDirectory(), runAs);
        try {
            ProcessRunner runner = runner(bin, runAs, directory);
            ClusterSetup.initialise(runner, runAs, directory.dataDirectory(), options, false);
            ServerProcess server = startServer(runner, runAs, directory.dataDirectory(), directory, options);
            String password = ClusterSetup.randomPassword();
            setUp(runner, server, directory.dataDirectory(), options, password, "immediate");
            return new PostgresCluster(databaseOn(server, options, password), server, directory, true);
        } catch (RuntimeException e) {
            deleteAfterFailure(directory, e);
            throw e;
        }
    }

    /**
     * Starts the persistent cluster in {@code directory}, creating it first if it does not exist yet. A cluster is
     * set up in {@code pgdata.new} and renamed to {@code pgdata} only when complete, so a crash during the first
     * start leaves nothing half made behind.
     */
    public static PostgresCluster startPersistent(Path directory, PostgresOptions options) {
        Path bin = Binaries.locate(options.binDirectory());
        RunAs runAs = RunAs.detect(options.unprivilegedUser());
        ClusterDirectory cluster = ClusterDirectory.persistent(directory, runAs);
        ProcessRunner runner = runner(bin, runAs, cluster);
        if (!Files.isDirectory(cluster.dataDirectory())) {
            createPersistent(runner, runAs, cluster, options);
        }
        String password = readPassword(cluster.passwordFile());
        ServerProcess.stopLeftover(runner, cluster.dataDirectory(), options, "fast");
        ServerProcess server = startServer(runner, runAs, cluster.dataDirectory(), cluster, options);
        return new PostgresCluster(databaseOn(server, options, password), server, cluster, false);
    }

    private static void createPersistent(
            ProcessRunner runner, RunAs runAs, ClusterDirectory cluster, PostgresOptions options) {
        Path staging = cluster.newDataDirectory();
        ClusterDirectory.deleteTree(staging);
        String password = Files.exists(cluster.passwordFile())
                ? readPassword(cluster.passwordFile())
                : writePassword(cluster.passwordFile());
        ClusterSetup.initialise(runner, runAs, staging, options, true);
        ServerProcess server = startServer(runner, runAs, staging, cluster, options);
        setUp(runner, server, staging, options, password, "fast");
        server.stop("fast");
        try {
            Files.move(staging, cluster.dataDirectory(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new PostgresException("cannot rename " + staging + " to " + cluster.dataDirectory(), e);
        }
    }

    private static void setUp(
            ProcessRunner runner,
            ServerProcess server,
            Path dataDirectory,
            PostgresOptions options,
            String password,
            String stopMode) {
        try {
            ClusterSetup.createUserAndDatabase(runner, server, dataDirectory, options, password);
        } catch (RuntimeException e) {
            stopAfterFailure(server, stopMode, e);
            throw e;
        }
    }

    static ProcessRunner runner(Path bin, RunAs runAs, ClusterDirectory directory) {
        return new ProcessRunner(bin, runAs.commandPrefix(), directory.root(), directory.commandLog());
    }

    private static ServerProcess startServer(
            ProcessRunner runner,
            RunAs runAs,
            Path dataDirectory,
            ClusterDirectory directory,
            PostgresOptions options) {
        return ServerProcess.start(runner, runAs, dataDirectory, directory.serverLog(), options);
    }

    private static PostgresDatabase databaseOn(ServerProcess server, PostgresOptions options, String password) {
        String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + options.databaseName();
        return new PostgresDatabase(url, options.userName(), password);
    }

    private static String writePassword(Path file) {
        String password = ClusterSetup.randomPassword();
        try {
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return password;
        } catch (IOException e) {
            throw new PostgresException("cannot write the password file " + file, e);
        }
    }

    private static String readPassword(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new PostgresException("the cluster's password file " + file + " cannot be read", e);
        }
    }

    /** How to reach the database: URL, user and password. */
    public PostgresDatabase database() {
        return database;
    }

    /** Whether this object started the server (throwaway or persistent) rather than using an existing one. */
    public boolean isManaged() {
        return server != null;
    }

    /** The postmaster's process id, for a managed cluster. */
    public OptionalLong serverPid() {
        return server == null ? OptionalLong.empty() : OptionalLong.of(server.pid());
    }

    /** The directory holding the cluster's files, for a managed cluster. */
    public Optional<Path> directory() {
        return directory == null ? Optional.empty() : Optional.of(directory.root());
    }

    /**
     * Stops a managed server by its process id and deletes a throwaway cluster's directory; a second call does
     * nothing.
     *
     * @throws PostgresException if the server process could not be stopped or the files not deleted
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || server == null) {
            return;
        }
        removeShutdownHook();
        PostgresException failure = null;
        try {
            server.stop(throwaway ? "immediate" : "fast");
        } catch (PostgresException e) {
            failure = e;
        }
        if (throwaway) {
            try {
                ClusterDirectory.deleteTree(directory.root());
            } catch (PostgresException e) {
                failure = combine(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and this very hook may be the caller; nothing is left to remove.
        }
    }

    private void closeAtExit() {
        try {
            close();
        } catch (PostgresException e) {
            System.err.println("Clearhouse could not stop PostgreSQL at exit: " + e.getMessage());
        }
    }

    private static PostgresException combine(PostgresException first, PostgresException second) {
        if (first == null) {
            return second;
        }
        first.addSuppressed(second);
        return first;
    }

    private static void stopAfterFailure(ServerProcess server, String mode, RuntimeException primary) {
        try {
            server.stop(mode);
        } catch (PostgresException e) {
            primary.addSuppressed(e);
        }
    }

    private static void deleteAfterFailure(ClusterDirectory directory, RuntimeException primary) {
        try {
            ClusterDirectory.deleteTree(directory.root());
        } catch (PostgresException e) {
            primary.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "PostgresCluster[" + database + (server == null ? ", existing" : ", pid " + server.pid()) + "]";
    }
}
