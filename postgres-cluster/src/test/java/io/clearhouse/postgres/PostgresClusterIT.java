package io.clearhouse.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PostgresClusterIT {
    private static final PostgresOptions OPTIONS = PostgresOptions.defaults();

    @Test
    void startsAThrowawayClusterThatRunsSqlOverJdbc() throws Exception {
        long startNanos = System.nanoTime();
        try (PostgresCluster cluster = PostgresCluster.startThrowaway(OPTIONS)) {
            System.out.printf("throwaway cluster started in %d ms%n", (System.nanoTime() - startNanos) / 1_000_000);
            assertThat(cluster.database().jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
            try (Connection connection = cluster.database().connect();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE account (name text PRIMARY KEY, balance bigint NOT NULL)");
                statement.execute("INSERT INTO account VALUES ('alice', 100), ('bob', 5)");
                assertThat(single(statement, "SELECT sum(balance) FROM account"))
                        .isEqualTo("105");
                assertThat(single(statement, "SHOW max_prepared_transactions")).isEqualTo("64");
                assertThat(single(statement, "SHOW fsync")).isEqualTo("on");
                assertThat(single(statement, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
            }
        }
    }

    @Test
    void preparesATransactionAndCommitsItFromAnotherSession() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.startThrowaway(OPTIONS)) {
            try (Connection connection = cluster.database().connect();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE ledger (entry text)");
                statement.execute("BEGIN");
                statement.execute("INSERT INTO ledger VALUES ('held')");
                statement.execute("PREPARE TRANSACTION 'branch-1'");
            }
            try (Connection other = cluster.database().connect();
                    Statement statement = other.createStatement()) {
                assertThat(single(statement, "SELECT count(*) FROM pg_prepared_xacts"))
                        .isEqualTo("1");
                assertThat(single(statement, "SELECT count(*) FROM ledger")).isEqualTo("0");
                statement.execute("COMMIT PREPARED 'branch-1'");
                assertThat(single(statement, "SELECT count(*) FROM ledger")).isEqualTo("1");
                assertThat(single(statement, "SELECT count(*) FROM pg_prepared_xacts"))
                        .isEqualTo("0");
            }
        }
    }

    @Test
    void closeStopsTheServerProcessAndDeletesItsDirectory() {
        PostgresCluster cluster = PostgresCluster.startThrowaway(OPTIONS);
        long pid = cluster.serverPid().orElseThrow();
        Path directory = cluster.directory().orElseThrow();
        assertThat(ProcessHandle.of(pid)).get().matches(ProcessHandle::isAlive);
        assertThat(directory.resolve("pgdata")).isDirectory();

        cluster.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(directory).doesNotExist();
        cluster.close();
    }

    @Test
    void closeCleansUpAfterTheServerWasKilled() throws Exception {
        PostgresCluster cluster = PostgresCluster.startThrowaway(OPTIONS);
        ProcessHandle postmaster =
                ProcessHandle.of(cluster.serverPid().orElseThrow()).orElseThrow();
        postmaster.destroyForcibly();
        postmaster.onExit().get(30, TimeUnit.SECONDS);

        cluster.close();

        assertThat(cluster.directory().orElseThrow()).doesNotExist();
    }

    @Test
    void persistentClusterKeepsItsDataAcrossRestarts() throws Exception {
        Path parent = traversableTemporaryDirectory("clearhouse-persistent-it-");
        Path directory = parent.resolve("postgres");
        try {
            long firstPid;
            try (PostgresCluster first = PostgresCluster.startPersistent(directory, OPTIONS)) {
                firstPid = first.serverPid().orElseThrow();
                execute(first.database(), "CREATE TABLE outcome (id text PRIMARY KEY)");
                execute(first.database(), "INSERT INTO outcome VALUES ('t1')");
            }
            assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive))
                    .isEmpty();
            assertThat(directory.resolve("pgdata")).isDirectory();
            try (PostgresCluster second = PostgresCluster.startPersistent(directory, OPTIONS);
                    Connection connection = second.database().connect();
                    Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SELECT id FROM outcome")).isEqualTo("t1");
            }
        } finally {
            ClusterDirectory.deleteTree(parent);
        }
    }

    @Test
    void startRemovesAThrowawayClusterWhoseJvmDied() throws Exception {
        Path parent = traversableTemporaryDirectory("clearhouse-abandoned-it-");
        PostgresOptions options = OPTIONS.withTemporaryDirectory(parent);
        try {
            PostgresCluster abandoned = PostgresCluster.startThrowaway(options);
            long abandonedPid = abandoned.serverPid().orElseThrow();
            Path abandonedDirectory = abandoned.directory().orElseThrow();
            Files.writeString(abandonedDirectory.resolve("owner.pid"), Long.toString(deadProcessId()));

            try (PostgresCluster next = PostgresCluster.startThrowaway(options)) {
                assertThat(ProcessHandle.of(abandonedPid).filter(ProcessHandle::isAlive))
                        .isEmpty();
                assertThat(abandonedDirectory).doesNotExist();
                assertThat(next.directory().orElseThrow()).isDirectory();
            }
            abandoned.close();
        } finally {
            ClusterDirectory.deleteTree(parent);
        }
    }

    @Test
    void persistentStartStopsAServerLeftRunningByAKilledLauncher() throws Exception {
        Path parent = traversableTemporaryDirectory("clearhouse-leftover-it-");
        Path directory = parent.resolve("postgres");
        try {
            PostgresCluster leftover = PostgresCluster.startPersistent(directory, OPTIONS);
            long leftoverPid = leftover.serverPid().orElseThrow();
            execute(leftover.database(), "CREATE TABLE outcome (id text PRIMARY KEY)");

            try (PostgresCluster restarted = PostgresCluster.startPersistent(directory, OPTIONS)) {
                assertThat(ProcessHandle.of(leftoverPid).filter(ProcessHandle::isAlive))
                        .isEmpty();
                execute(restarted.database(), "INSERT INTO outcome VALUES ('t1')");
            }
            leftover.close();
        } finally {
            ClusterDirectory.deleteTree(parent);
        }
    }

    private static Path traversableTemporaryDirectory(String prefix) throws Exception {
        Path parent = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        return parent;
    }

    private static long deadProcessId() throws Exception {
        Process process = new ProcessBuilder("true").start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return process.pid();
    }

    @Test
    void usesAnExistingDatabaseWithoutStartingOrStoppingAnything() throws Exception {
        try (PostgresCluster owner = PostgresCluster.startThrowaway(OPTIONS)) {
            PostgresCluster existing = PostgresCluster.existing(owner.database());
            assertThat(existing.isManaged()).isFalse();
            assertThat(existing.serverPid()).isEmpty();
            existing.close();
            try (Connection connection = existing.database().connect();
                    Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SELECT 1")).isEqualTo("1");
            }
        }
    }

    @Test
    void readsAnExistingDatabaseFromTheEnvironment() {
        Map<String, String> environment = Map.of(
                PostgresCluster.JDBC_URL_VARIABLE, "jdbc:postgresql://db.example:5432/clearhouse",
                PostgresCluster.JDBC_USER_VARIABLE, "coordinator",
                PostgresCluster.JDBC_PASSWORD_VARIABLE, "secret");
        assertThat(PostgresCluster.databaseFromEnvironment(environment))
                .contains(
                        new PostgresDatabase("jdbc:postgresql://db.example:5432/clearhouse", "coordinator", "secret"));
        assertThat(PostgresCluster.databaseFromEnvironment(Map.of())).isEmpty();
    }

    private static void execute(PostgresDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String single(Statement statement, String query) throws SQLException {
        try (ResultSet result = statement.executeQuery(query)) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }
}
