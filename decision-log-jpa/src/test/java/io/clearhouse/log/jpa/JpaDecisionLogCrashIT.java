package io.clearhouse.log.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.postgres.PostgresCluster;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.PostgresOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kills the PostgreSQL server under an open log, as a power cut would, and checks what survived. */
class JpaDecisionLogCrashIT {
    private static final List<Posting> TRANSFER = List.of(new Posting("alice", -10), new Posting("bob", 10));

    private Path parent;

    @BeforeEach
    void createDirectory() throws IOException {
        // The server runs as an unprivileged user when the tests run as root, so it must be able to enter this.
        parent = Files.createTempDirectory(Path.of("/tmp"), "clearhouse-log-crash-");
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void deleteDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(parent)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void keepsEveryAcknowledgedRecordWhenTheServerIsKilled() throws Exception {
        Path directory = parent.resolve("postgres");
        List<DecisionRecord> acknowledged = new ArrayList<>();
        try (PostgresCluster cluster = PostgresCluster.startPersistent(directory, PostgresOptions.defaults())) {
            DecisionLog log = open(cluster.database());
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                DecisionRecord commit = new DecisionRecord.CommitDecision("1." + i, "t" + i, TRANSFER, List.of("A"));
                acknowledged.add(commit);
                writes.add(log.appendDurably(commit));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            kill(cluster.serverPid().orElseThrow());
            DecisionRecord lost = new DecisionRecord.CommitDecision("1.999", "lost", TRANSFER, List.of("A"));
            assertThatThrownBy(() -> log.appendDurably(lost).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(DecisionLogException.class);
            log.close();
        }

        try (PostgresCluster restarted = PostgresCluster.startPersistent(directory, PostgresOptions.defaults());
                DecisionLog reopened = open(restarted.database())) {
            assertThat(reopened.incarnation()).isEqualTo(2);
            assertThat(reopened.recoveredRecords())
                    .filteredOn(record -> !(record instanceof DecisionRecord.Incarnation))
                    .containsExactlyElementsOf(acknowledged);
        }
    }

    private static DecisionLog open(PostgresDatabase database) {
        return JpaDecisionLog.open(
                database.jdbcUrl(), database.user(), database.password(), JpaDecisionLogOptions.defaults());
    }

    private static void kill(long pid) throws Exception {
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        postmaster.destroyForcibly();
        postmaster.onExit().get(30, TimeUnit.SECONDS);
    }
}
