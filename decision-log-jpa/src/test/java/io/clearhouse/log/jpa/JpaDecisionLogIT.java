package io.clearhouse.log.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.core.log.CorruptDecisionRecordException;
import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionLogContract;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class JpaDecisionLogIT extends DecisionLogContract {
    private static final List<Posting> TRANSFER = List.of(new Posting("alice", -10), new Posting("bob", 10));

    private PostgresDatabase database;

    @BeforeEach
    void useAFreshDatabase(PostgresDatabase shared) {
        database = shared.createFresh();
    }

    @Override
    protected DecisionLog openLog() {
        return JpaDecisionLog.open(
                database.jdbcUrl(), database.user(), database.password(), JpaDecisionLogOptions.defaults());
    }

    @Test
    void sharesTransactionsAmongConcurrentDurableAppends() throws Exception {
        int threads = 16;
        int appendsPerThread = 100;
        long transactions;
        long startNanos;
        try (DecisionLog log = openLog()) {
            long before = log.forcedWrites();
            startNanos = System.nanoTime();
            appendConcurrently(log, threads, appendsPerThread);
            transactions = log.forcedWrites() - before;
        }
        long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        int records = threads * appendsPerThread;
        System.out.printf(
                "group commit: %d durable records in %d transactions, %d ms%n", records, transactions, elapsedMillis);
        assertThat(transactions).isLessThan(records / 2);

        try (DecisionLog reopened = openLog()) {
            List<String> clientIds = reopened.recoveredRecords().stream()
                    .filter(record -> record instanceof DecisionRecord.CommitDecision)
                    .map(record -> ((DecisionRecord.CommitDecision) record).clientId())
                    .toList();
            assertThat(clientIds).hasSize(records).doesNotHaveDuplicates();
            for (int thread = 0; thread < threads; thread++) {
                String prefix = "t" + thread + "-";
                assertThat(clientIds.stream()
                                .filter(id -> id.startsWith(prefix))
                                .toList())
                        .as("appends of one thread stay in order")
                        .isSortedAccordingTo((a, b) -> Integer.compare(sequenceOf(a), sequenceOf(b)));
            }
        }
    }

    /**
     * The server's data source rewrites a JDBC batch into one multi-row INSERT; the rows of one group commit must still
     * be numbered in the order they were queued, which is the order recovery reads them back in.
     */
    @Test
    void numbersTheRowsOfAGroupInTheOrderTheyWereQueued() throws Exception {
        String separator = database.jdbcUrl().contains("?") ? "&" : "?";
        String rewriting = database.jdbcUrl() + separator + "reWriteBatchedInserts=true";
        List<DecisionRecord> appended = new ArrayList<>();
        try (DecisionLog log = JpaDecisionLog.open(
                rewriting, database.user(), database.password(), JpaDecisionLogOptions.defaults())) {
            for (int i = 0; i < 50; i++) {
                DecisionRecord commit =
                        new DecisionRecord.CommitDecision("g." + i, "c" + i, TRANSFER, List.of("A", "B"));
                appended.add(commit);
                log.appendLazily(commit);
            }
            DecisionRecord last = new DecisionRecord.CommitDecision("g.50", "c50", TRANSFER, List.of("A", "B"));
            appended.add(last);
            log.appendDurably(last).get(10, TimeUnit.SECONDS);
        }
        try (DecisionLog reopened = openLog()) {
            assertThat(reopened.recoveredRecords().stream()
                            .filter(record -> record instanceof DecisionRecord.CommitDecision)
                            .toList())
                    .containsExactlyElementsOf(appended);
        }
    }

    /** Every thread waits for each append before the next, as a coordinator thread waits to send commits. */
    private static void appendConcurrently(DecisionLog log, int threads, int appendsPerThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                int number = thread;
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < appendsPerThread; i++) {
                        String clientId = "t" + number + "-" + i;
                        log.appendDurably(new DecisionRecord.CommitDecision(
                                        number + "." + i, clientId, TRANSFER, List.of("A", "B")))
                                .get(30, TimeUnit.SECONDS);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int sequenceOf(String clientId) {
        return Integer.parseInt(clientId.substring(clientId.indexOf('-') + 1));
    }

    @Test
    void keepsRecordsAndIncarnationAcrossReopen() throws Exception {
        DecisionRecord commit = new DecisionRecord.CommitDecision("1.1", "t1", TRANSFER, List.of("A", "B"));
        DecisionRecord abort = new DecisionRecord.AbortOutcome("1.2", "t2", Reason.BANK_UNAVAILABLE, TRANSFER);
        DecisionRecord completion = new DecisionRecord.Completion("1.1");
        try (DecisionLog first = openLog()) {
            first.appendDurably(commit).get(10, TimeUnit.SECONDS);
            first.appendDurably(abort).get(10, TimeUnit.SECONDS);
            first.appendLazily(completion);
        }
        DecisionRecord unfinished = new DecisionRecord.CommitDecision("1.3", "t3", TRANSFER, List.of("A"));
        try (DecisionLog second = openLog()) {
            assertThat(second.incarnation()).isEqualTo(2);
            assertThat(second.recoveredRecords())
                    .as("recovery reads neither the finished commit nor the abort")
                    .containsExactly(new DecisionRecord.Incarnation(1));
            assertThat(second.outcomeOf("t1")).contains((DecisionRecord.ClientOutcome) commit);
            assertThat(second.outcomeOf("t2")).contains((DecisionRecord.ClientOutcome) abort);
            second.appendDurably(unfinished).get(10, TimeUnit.SECONDS);
        }
        try (DecisionLog third = openLog()) {
            assertThat(third.incarnation()).isEqualTo(3);
            assertThat(third.recoveredRecords())
                    .containsExactly(new DecisionRecord.Incarnation(1), new DecisionRecord.Incarnation(2), unfinished);
        }
    }

    @Test
    void commitsOneTransactionForADurableAppend() throws Exception {
        try (DecisionLog log = openLog()) {
            long before = log.forcedWrites();
            log.appendLazily(new DecisionRecord.Completion("0.1"));
            assertThat(log.forcedWrites()).isEqualTo(before);
            log.appendDurably(new DecisionRecord.CommitDecision("1.1", "t1", TRANSFER, List.of("A")))
                    .get(10, TimeUnit.SECONDS);
            assertThat(log.forcedWrites()).isEqualTo(before + 1);
        }
    }

    @Test
    void refusesToOpenWhenARowDisagreesWithItsEncodedRecord() throws Exception {
        writeOneCommit();
        execute("UPDATE decision_record SET client_id = 'someone-else' WHERE kind = 'COMMIT_DECISION'");
        assertThatThrownBy(this::openLog)
                .isInstanceOf(CorruptDecisionRecordException.class)
                .hasMessageContaining("columns disagree");
    }

    @Test
    void refusesToOpenWhenARowsBytesWereDamaged() throws Exception {
        writeOneCommit();
        execute("UPDATE decision_record SET body = set_byte(body, 3, get_byte(body, 3) # 1)"
                + " WHERE kind = 'COMMIT_DECISION'");
        assertThatThrownBy(this::openLog)
                .isInstanceOf(CorruptDecisionRecordException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void refusesAnOutcomeWhoseRowWasDamagedWhenItIsLookedUp() throws Exception {
        try (DecisionLog log = openLog()) {
            log.appendDurably(new DecisionRecord.AbortOutcome("1.1", "t1", Reason.TIMEOUT, TRANSFER))
                    .get(10, TimeUnit.SECONDS);
        }
        execute("UPDATE decision_record SET body = set_byte(body, 3, get_byte(body, 3) # 1)"
                + " WHERE kind = 'ABORT_OUTCOME'");
        try (DecisionLog reopened = openLog()) {
            assertThatThrownBy(() -> reopened.outcomeOf("t1"))
                    .isInstanceOf(CorruptDecisionRecordException.class)
                    .hasMessageContaining("checksum");
        }
    }

    @Test
    void refusesAnAppendAfterClose() {
        DecisionLog log = openLog();
        log.close();
        assertThatThrownBy(() -> log.appendLazily(new DecisionRecord.Completion("1.1")))
                .isInstanceOf(io.clearhouse.core.log.DecisionLogException.class)
                .hasMessageContaining("closed");
    }

    private void writeOneCommit() throws Exception {
        try (DecisionLog log = openLog()) {
            CompletableFuture<Void> durable =
                    log.appendDurably(new DecisionRecord.CommitDecision("1.1", "t1", TRANSFER, List.of("A", "B")));
            durable.get(10, TimeUnit.SECONDS);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate(sql)).isEqualTo(1);
        }
    }

    @Test
    void pruningDeletesTheTransactionsFinishedBeforeTheCutoffAndKeepsWhatRecoveryAndRetriesNeed() throws Exception {
        DecisionRecord.CommitDecision unfinished =
                new DecisionRecord.CommitDecision("1.3", "old-waiting", TRANSFER, List.of("A"));
        try (JpaDecisionLog log = (JpaDecisionLog) openLog()) {
            log.appendDurably(new DecisionRecord.CommitDecision("1.1", "old-commit", TRANSFER, List.of("A", "B")))
                    .get();
            log.appendDurably(new DecisionRecord.Completion("1.1")).get();
            log.appendDurably(new DecisionRecord.AbortOutcome("1.2", "old-abort", Reason.TIMEOUT, TRANSFER))
                    .get();
            log.appendDurably(unfinished).get();
            try (Connection connection = database.connect();
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE decision_record SET written_at = now() - interval '2 days'");
            }
            log.appendDurably(new DecisionRecord.AbortOutcome("2.1", "new-abort", Reason.TIMEOUT, TRANSFER))
                    .get();

            JpaDecisionLog.Pruned pruned = log.prune(Instant.now().minus(Duration.ofDays(1)), 1);

            assertThat(pruned.rowsDeleted())
                    .as("the commit, its completion and the old abort")
                    .isEqualTo(3);
            assertThat(log.outcomeOf("old-commit")).isEmpty();
            assertThat(log.outcomeOf("old-abort")).isEmpty();
            assertThat(log.outcomeOf("old-waiting")).contains(unfinished);
            assertThat(log.outcomeOf("new-abort")).isPresent();
            assertThat(log.commitDecisionOf("1.3")).contains(unfinished);
            assertThat(log.prune(Instant.now().minus(Duration.ofDays(1)), 1).rowsDeleted())
                    .isZero();
        }
        try (DecisionLog reopened = openLog()) {
            assertThat(reopened.recoveredRecords()).containsExactly(new DecisionRecord.Incarnation(1), unfinished);
            assertThat(reopened.outcomeOf("old-commit")).isEmpty();
            assertThat(reopened.outcomeOf("new-abort")).isPresent();
        }
    }
}
