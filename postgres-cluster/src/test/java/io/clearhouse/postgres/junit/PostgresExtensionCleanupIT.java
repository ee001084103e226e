package io.clearhouse.postgres.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.clearhouse.postgres.PostgresDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs a test class that fails in an engine of its own and checks that its cluster is gone when the run ends. */
class PostgresExtensionCleanupIT {
    @Test
    void stopsAndDeletesTheClusterWhenTheRunEndsAfterAFailedTest() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(FailingTest.class))
                .execute()
                .testEvents()
                .assertStatistics(statistics -> statistics.started(1).failed(1));

        assertThat(FailingTest.postmasterPid).isPositive();
        assertThat(ProcessHandle.of(FailingTest.postmasterPid).filter(ProcessHandle::isAlive))
                .isEmpty();
        assertThat(FailingTest.dataDirectory).isNotNull().doesNotExist();
    }

    /** Not run by Failsafe itself (nested classes are excluded); only through the engine above. */
    @ExtendWith(PostgresExtension.class)
    static class FailingTest {
        static volatile long postmasterPid;
        static volatile Path dataDirectory;

        @Test
        void failsAfterUsingTheDatabase(PostgresDatabase database) throws Exception {
            try (Connection connection = database.connect();
                    Statement statement = connection.createStatement()) {
                long backendPid = backendPid(statement);
                ProcessHandle postmaster = ProcessHandle.of(backendPid)
                        .flatMap(ProcessHandle::parent)
                        .orElseThrow();
                postmasterPid = postmaster.pid();
                dataDirectory =
                        Path.of("/proc", Long.toString(postmasterPid), "cwd").toRealPath();
            }
            fail("this test fails on purpose, after the cluster started");
        }

        private static long backendPid(Statement statement) throws SQLException {
            try (ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
