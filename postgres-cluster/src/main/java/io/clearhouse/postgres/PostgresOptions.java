package io.clearhouse.postgres;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How a cluster is created and run.
 *
 * @param binDirectory where {@code initdb}, {@code pg_ctl} and {@code psql} are; null finds them ({@code
 *     CLEARHOUSE_PG_BIN}, else the newest {@code /usr/lib/postgresql/*}{@code /bin})
 * @param databaseName the database created for {@code userName}
 * @param userName the login role created with a random password and the CREATEDB privilege
 * @param fsync whether the server forces its writes; off only for tests that measure nothing durable
 * @param maxPreparedTransactions PostgreSQL's {@code max_prepared_transactions}; XA needs it above zero
 * @param maxConnections PostgreSQL's {@code max_connections}
 * @param temporaryDirectory where throwaway clusters are made; the unprivileged user must be able to traverse it
 * @param unprivilegedUser the operating system user that runs the server when the JVM runs as root
 * @param startTimeoutMillis how long a start may take before it is a failure
 * @param stopTimeoutMillis how long a stop may take before the server is killed
 * @param commandTimeoutMillis how long {@code initdb} or a {@code psql} script may take
 * @param portAttemptsMax how many free ports a start tries when another process takes the chosen one first
 * @param settings further {@code postgresql.conf} settings, applied last
 */
public record PostgresOptions(
        Path binDirectory,
        String databaseName,
        String userName,
        boolean fsync,
        int maxPreparedTransactions,
        int maxConnections,
        Path temporaryDirectory,
        String unprivilegedUser,
        long startTimeoutMillis,
        long stopTimeoutMillis,
        long commandTimeoutMillis,
        int portAttemptsMax,
        Map<String, String> settings) {
    public PostgresOptions {
        PostgresDatabase.requireName(databaseName);
        PostgresDatabase.requireName(userName);
        Objects.requireNonNull(temporaryDirectory, "temporaryDirectory");
        Objects.requireNonNull(unprivilegedUser, "unprivilegedUser");
        requirePositive(maxPreparedTransactions, "maxPreparedTransactions");
        requirePositive(maxConnections, "maxConnections");
        requirePositive(startTimeoutMillis, "startTimeoutMillis");
        requirePositive(stopTimeoutMillis, "stopTimeoutMillis");
        requirePositive(commandTimeoutMillis, "commandTimeoutMillis");
        requirePositive(portAttemptsMax, "portAttemptsMax");
        settings = Map.copyOf(settings);
    }

    /**
     * Binaries found automatically, database and user {@code clearhouse}, fsync on, 64 prepared transactions, 100
     * connections, throwaway clusters under {@code /tmp} run by {@code postgres} when root, 60 s to start, 30 s to
     * stop, 120 s per command, 5 ports tried.
     */
    public static PostgresOptions defaults() {
        return new PostgresOptions(
                null,
                "clearhouse",
                "clearhouse",
                true,
                64,
                100,
                Path.of("/tmp"),
                "postgres",
                60_000,
                30_000,
                120_000,
                5,
                Map.of());
    }

    public PostgresOptions withTemporaryDirectory(Path directory) {
        return new PostgresOptions(
                binDirectory,
                databaseName,
                userName,
                fsync,
                maxPreparedTransactions,
                maxConnections,
                directory,
                unprivilegedUser,
                startTimeoutMillis,
                stopTimeoutMillis,
                commandTimeoutMillis,
                portAttemptsMax,
                settings);
    }

    public PostgresOptions withMaxPreparedTransactions(int count) {
        return new PostgresOptions(
                binDirectory,
                databaseName,
                userName,
                fsync,
                count,
                maxConnections,
                temporaryDirectory,
                unprivilegedUser,
                startTimeoutMillis,
                stopTimeoutMillis,
                commandTimeoutMillis,
                portAttemptsMax,
                settings);
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
