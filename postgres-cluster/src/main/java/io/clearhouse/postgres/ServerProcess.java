package io.clearhouse.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running postmaster over one data directory, started with {@code pg_ctl} on a free loopback port and stopped
 * by {@code pg_ctl}, then by its process id if it is still alive.
 */
final class ServerProcess {
    /** Read by {@code postgresql.conf} through the include that {@link ClusterSetup} adds after initdb. */
    static final String SETTINGS_FILE = "clearhouse.conf";

    /** {@code pg_ctl status} exits with 0 when a server runs on the data directory, 3 when none does. */
    private static final int PG_CTL_STATUS_RUNNING = 0;

    private final ProcessRunner runner;
    private final Path dataDirectory;
    private final PostgresOptions options;
    private final int port;
    /** Taken right after start: the JDK's handle remembers the start time, so a reused process id never matches. */
    private final ProcessHandle postmaster;

    private ServerProcess(
            ProcessRunner runner, Path dataDirectory, PostgresOptions options, int port, ProcessHandle postmaster) {
        this.runner = runner;
        this.dataDirectory = dataDirectory;
        this.options = options;
        this.port = port;
        this.postmaster = postmaster;
    }

    /** Starts the server, trying another free port when a process takes the chosen one between choice and bind. */
    static ServerProcess start(
            ProcessRunner runner, RunAs runAs, Path dataDirectory, Path serverLog, PostgresOptions options) {
        for (int attempt = 1; ; attempt++) {
            int port = freeLoopbackPort();
            writeSettings(runAs, dataDirectory, port, options);
            try {
                runner.run(
                        options.startTimeoutMillis() + options.commandTimeoutMillis(),
                        null,
                        "pg_ctl",
                        "start",
                        "-D",
                        dataDirectory.toString(),
                        "-l",
                        serverLog.toString(),
                        "-w",
                        "-s",
                        "-t",
                        Long.toString(Math.max(1, options.startTimeoutMillis() / 1000)));
                return new ServerProcess(runner, dataDirectory, options, port, postmaster(dataDirectory));
            } catch (PostgresException e) {
                if (attempt >= options.portAttemptsMax() || !portWasTaken(serverLog)) {
                    throw new PostgresException(
                            "cannot start PostgreSQL in " + dataDirectory + ": " + ProcessRunner.tail(serverLog), e);
                }
            }
        }
    }

    /**
     * Stops a server that an earlier process left running on {@code dataDirectory}, as after a SIGKILL of the JVM
     * that started it; does nothing when none runs.
     */
    static void stopLeftover(ProcessRunner runner, Path dataDirectory, PostgresOptions options, String mode) {
        int status = runner.exitCodeOf(
                options.commandTimeoutMillis(), null, "pg_ctl", "status", "-D", dataDirectory.toString());
        if (status != PG_CTL_STATUS_RUNNING) {
            return;
        }
        Optional<ProcessHandle> postmaster =
                ProcessHandle.of(readPid(dataDirectory)).filter(ServerProcess::isPostgres);
        if (postmaster.isPresent()) {
            new ServerProcess(runner, dataDirectory, options, 0, postmaster.get()).stop(mode);
        } else {
            // pg_ctl only asks whether the pid is alive: after a SIGKILL it may name a zombie not yet reaped, or a
            // process that reused the pid. PostgreSQL would refuse to start over such a lock file, and no postgres
            // uses the directory, so the stale file goes.
            deleteStalePidFile(dataDirectory);
        }
    }

    private static void deleteStalePidFile(Path dataDirectory) {
        try {
            Files.deleteIfExists(dataDirectory.resolve("postmaster.pid"));
        } catch (IOException e) {
            throw new PostgresException("cannot remove the stale " + dataDirectory + "/postmaster.pid", e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return postmaster.pid();
    }

    /**
     * Stops the server with {@code pg_ctl stop -m mode}, kills the postmaster if it is still alive afterwards, and
     * fails only if the process outlives both.
     */
    void stop(String mode) {
        PostgresException stopFailure = null;
        try {
            runner.run(
                    options.stopTimeoutMillis() + options.commandTimeoutMillis(),
                    null,
                    "pg_ctl",
                    "stop",
                    "-D",
                    dataDirectory.toString(),
                    "-m",
                    mode,
                    "-w",
                    "-s",
                    "-t",
                    Long.toString(Math.max(1, options.stopTimeoutMillis() / 1000)));
        } catch (PostgresException e) {
            stopFailure = e;
        }
        boolean running = postmaster.isAlive() && (stopFailure != null || !exited(postmaster));
        if (running && !kill(postmaster)) {
            PostgresException failure = new PostgresException("PostgreSQL process " + postmaster.pid()
                    + " survived pg_ctl stop and a kill; it still runs on " + dataDirectory);
            if (stopFailure != null) {
                failure.addSuppressed(stopFailure);
            }
            throw failure;
        }
    }

    /** pg_ctl stop returns once the pid file is gone, a moment before the postmaster process has ended. */
    private boolean exited(ProcessHandle process) {
        try {
            process.onExit().get(options.stopTimeoutMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** A postmaster that died long ago may have left its process id to an unrelated process, which must live. */
    private static boolean isPostgres(ProcessHandle process) {
        return process.info()
                .command()
                .map(command -> command.endsWith("postgres"))
                .orElse(false);
    }

    private boolean kill(ProcessHandle process) {
        process.destroyForcibly();
        return exited(process);
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new PostgresException("cannot find a free loopback port", e);
        }
    }

    /** Rewritten at every start, so the port and the socket directory follow the cluster if it moves. */
    private static void writeSettings(RunAs runAs, Path dataDirectory, int port, PostgresOptions options) {
        StringBuilder text = new StringBuilder("# Written by Clearhouse at every start; edits are lost.\n");
        setting(text, "listen_addresses", "127.0.0.1");
        setting(text, "port", Integer.toString(port));
        setting(text, "unix_socket_directories", dataDirectory.toString());
        setting(text, "max_prepared_transactions", Integer.toString(options.maxPreparedTransactions()));
        setting(text, "max_connections", Integer.toString(options.maxConnections()));
        setting(text, "fsync", options.fsync() ? "on" : "off");
        for (Map.Entry<String, String> extra : options.settings().entrySet()) {
            setting(text, extra.getKey(), extra.getValue());
        }
        Path file = dataDirectory.resolve(SETTINGS_FILE);
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            runAs.own(file);
        } catch (IOException e) {
            throw new PostgresException("cannot write " + file, e);
        }
    }

    private static void setting(StringBuilder text, String name, String value) {
        text.append(name).append(" = '").append(value.replace("'", "''")).append("'\n");
    }

    /** The running postmaster named by the pid file, checked to be a postgres process and not a reused id. */
    private static ProcessHandle postmaster(Path dataDirectory) {
        long pid = readPid(dataDirectory);
        return ProcessHandle.of(pid)
                .filter(ServerProcess::isPostgres)
                .orElseThrow(() -> new PostgresException(
                        "process " + pid + " named in " + dataDirectory + "/postmaster.pid is not a running postgres"));
    }

    private static long readPid(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (IOException | RuntimeException e) {
            throw new PostgresException("PostgreSQL started but " + pidFile + " names no process", e);
        }
    }

    private static boolean portWasTaken(Path serverLog) {
        String log = ProcessRunner.tail(serverLog);
        return log.contains("could not bind") || log.contains("Address already in use");
    }
}
