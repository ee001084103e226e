package io.clearhouse.ejb.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/** The ledger of keyed batches on a real PostgreSQL: one run per key, its answer kept, a stopped server's run taken over. */
@ExtendWith(PostgresExtension.class)
class BatchRunsIT {
    private static final byte[] BODY = hash("body");
    private static final byte[] OTHER_BODY = hash("other body");
    private static final byte[] ANSWER = "answer".getBytes(StandardCharsets.UTF_8);

    private DataSource dataSource;

    @BeforeEach
    void useAFreshDatabase(PostgresDatabase shared) {
        PostgresDatabase database = shared.createFresh();
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(database.jdbcUrl());
        source.setUser(database.user());
        source.setPassword(database.password());
        dataSource = source;
    }

    @Test
    void aKeyRunsOnceAndThenAnswersWithWhatItsRunKept() {
        BatchRuns server = BatchRuns.open(dataSource);

        assertThat(server.claim("k", BODY)).isInstanceOf(BatchRunClaim.Run.class);
        assertThat(server.claim("k", BODY)).isInstanceOf(BatchRunClaim.InProgress.class);
        assertThat(server.claim("k", OTHER_BODY)).isInstanceOf(BatchRunClaim.OtherBody.class);
        server.complete("k", ANSWER);

        assertThat(server.claim("k", BODY))
                .isInstanceOfSatisfying(BatchRunClaim.Answered.class, answered -> assertThat(answered.answerGzip())
                        .isEqualTo(ANSWER));
        assertThat(server.claim("k", OTHER_BODY)).isInstanceOf(BatchRunClaim.OtherBody.class);
        assertThat(server.claim("another key", OTHER_BODY)).isInstanceOf(BatchRunClaim.Run.class);
    }

    @Test
    void aRunThatFailedLetsItsKeyGoForTheRetry() {
        BatchRuns server = BatchRuns.open(dataSource);
        server.claim("k", BODY);

        server.release("k");

        assertThat(server.claim("k", OTHER_BODY)).isInstanceOf(BatchRunClaim.Run.class);
    }

    @Test
    void aServerAfterARestartTakesOverTheRunItsPredecessorLeftAndTheLeftRunCanNoLongerComplete() {
        BatchRuns stopped = BatchRuns.open(dataSource);
        stopped.claim("k", BODY);
        BatchRuns restarted = BatchRuns.open(dataSource);

        assertThat(restarted.claim("k", BODY)).isInstanceOf(BatchRunClaim.Run.class);
        assertThat(restarted.claim("k", BODY)).isInstanceOf(BatchRunClaim.InProgress.class);
        assertThatThrownBy(() -> stopped.complete("k", "stale".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("no longer holds idempotency key k");
        restarted.complete("k", ANSWER);
        assertThat(BatchRuns.open(dataSource).claim("k", BODY))
                .isInstanceOfSatisfying(BatchRunClaim.Answered.class, answered -> assertThat(answered.answerGzip())
                        .isEqualTo(ANSWER));
    }

    @Test
    void ofManyConcurrentClaimsOfOneKeyExactlyOneRuns() throws Exception {
        BatchRuns server = BatchRuns.open(dataSource);
        int claimants = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(claimants);
        try {
            List<Future<BatchRunClaim>> claims = new ArrayList<>();
            for (int i = 0; i < claimants; i++) {
                Callable<BatchRunClaim> claim = () -> {
                    start.await();
                    return server.claim("hot", BODY);
                };
                claims.add(pool.submit(claim));
            }
            start.countDown();
            int runs = 0;
            for (Future<BatchRunClaim> claim : claims) {
                BatchRunClaim result = claim.get();
                assertThat(result).isInstanceOfAny(BatchRunClaim.Run.class, BatchRunClaim.InProgress.class);
                runs += result instanceof BatchRunClaim.Run ? 1 : 0;
            }
            assertThat(runs).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] hash(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
