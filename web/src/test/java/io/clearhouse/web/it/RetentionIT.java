package io.clearhouse.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The decision log's retention on a live server: a finished transaction's records are pruned in the background once
 * they are older than {@code clearhouse.decision-log.retention-millis}, while a transfer goes on being served; the
 * id is then unknown and a retry of it counts as new (the retention is the idempotency window).
 */
@ExtendWith(PostgresExtension.class)
class RetentionIT {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration PRUNED_WITHIN = Duration.ofSeconds(60);
    private static final long OPENING_BALANCE = 1_000;
    private static final String TRANSFER = "{\"id\":\"kept-a-while\",\"from\":\"ann\",\"to\":\"bo\",\"amount\":10}";

    @Test
    void aFinishedTransferIsPrunedAfterTheRetentionAndItsIdCountsAsNewAfterwards(PostgresDatabase cluster)
            throws Exception {
        Path directory = Path.of("target", "retention").toAbsolutePath();
        ServerFiles.recreate(directory);
        Map<String, Map<String, Long>> banks = new LinkedHashMap<>();
        banks.put("1", new LinkedHashMap<>(Map.of("ann", OPENING_BALANCE)));
        banks.put("2", new LinkedHashMap<>(Map.of("bo", OPENING_BALANCE)));
        PostgresDatabase database = cluster.createFresh();
        Path properties = ServerFiles.writeSystemProperties(
                directory,
                ServerFiles.writeBanksFile(directory, banks),
                database,
                Map.of(
                        "clearhouse.decision-log.retention-millis", "2000",
                        "clearhouse.decision-log.prune-interval-millis", "500"));
        try (PayaraMicroProcess server = PayaraMicroProcess.start(properties, directory)) {
            Api api = server.awaitReady(READY_TIMEOUT);
            assertThat(api.postJson("api/transfers", TRANSFER)
                            .json()
                            .get("status")
                            .asText())
                    .isEqualTo("committed");
            assertThat(api.get("api/transfers/kept-a-while").status()).isEqualTo(200);
            long rowsAfterTheTransfer = rowsNaming(database, "kept-a-while");
            // Pushes it out of the outcomes the server keeps in memory, so that reads and retries ask the log.
            for (int other = 0; other <= ServerFiles.FINISHED_OUTCOMES_IN_MEMORY_MAX; other++) {
                api.postJson(
                        "api/transfers",
                        "{\"id\":\"other-" + other + "\",\"from\":\"bo\",\"to\":\"ann\",\"amount\":1}");
            }

            long deadline = System.nanoTime() + PRUNED_WITHIN.toNanos();
            while (api.get("api/transfers/kept-a-while").status() != 404) {
                assertThat(System.nanoTime())
                        .as("pruned within " + PRUNED_WITHIN)
                        .isLessThan(deadline);
                Thread.sleep(100);
            }

            assertThat(rowsAfterTheTransfer).isEqualTo(1);
            assertThat(rowsNaming(database, "kept-a-while"))
                    .as("rows naming the transfer")
                    .isZero();
            assertThat(api.postJson("api/transfers", TRANSFER)
                            .json()
                            .get("status")
                            .asText())
                    .as("a retry after the retention counts as new")
                    .isEqualTo("committed");
            long others = ServerFiles.FINISHED_OUTCOMES_IN_MEMORY_MAX + 1;
            assertThat(api.balance("ann")).isEqualTo(OPENING_BALANCE - 20 + others);
            assertThat(api.balance("bo")).isEqualTo(OPENING_BALANCE + 20 - others);
            assertThat(api.get("api/accounts/ann").json().get("held").asLong()).isZero();
        }
    }

    private static long rowsNaming(PostgresDatabase database, String clientId) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT count(*) FROM decision_record WHERE client_id = ?")) {
            statement.setString(1, clientId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
