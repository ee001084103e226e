package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.postgres.PostgresDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code clearhouse serve --demo-banks jdbc} and {@code jdbc-xa} from the shaded jar with the built WAR: each bank in
 * a database of its own in serve's PostgreSQL, cross-bank transfers from several clients, then SIGKILL of the
 * launcher, Payara Micro and PostgreSQL with all its backends while transfers are in flight (in xa mode, at a moment
 * when PostgreSQL holds prepared transactions), and serve again on the same data directory without options. Once it
 * is ready, its recovery has run: every outcome a client was told is the recorded one, every account holds its opening
 * balance moved by exactly the committed transfers, nothing is held, and PostgreSQL lists no prepared transaction.
 * Every process seen is killed by pid after each run, whatever happened.
 */
class DemoBanksIT {
    /** serve took up to 4 minutes to be ready on two cores under a load average near 30 (another job's servers). */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(8);

    private static final Duration PREPARED_SEEN_TIMEOUT = Duration.ofSeconds(30);
    private static final String STATE = "{\"1\":{\"alice\":1000},\"2\":{\"carol\":500},\"3\":{\"dave\":300}}";
    private static final Map<String, String> BANK_OF_ACCOUNT = Map.of("alice", "1", "carol", "2", "dave", "3");
    private static final Map<String, Long> OPENING = Map.of("alice", 1000L, "carol", 500L, "dave", 300L);
    private static final List<String> RING = List.of("alice", "carol", "dave");
    private static final int ANSWERS_BEFORE_KILL = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServeUnderTest server;

    @BeforeEach
    void prepare() throws IOException {
        server = ServeUnderTest.inNewDirectory("demo-banks-it-");
        Files.writeString(server.directory().resolve("state.json"), STATE);
    }

    @AfterEach
    void killEverything() throws Exception {
        server.killEverything();
    }

    @ParameterizedTest(name = "--demo-banks {0}")
    @ValueSource(strings = {"jdbc", "jdbc-xa"})
    void afterSigkillOfEverythingUnderLoadServeKeepsEveryCommittedTransferAndLeavesNothingPrepared(String kind)
            throws Exception {
        Process serve = startServe(
                "--demo-banks",
                kind,
                "--initial-state",
                server.directory().resolve("state.json").toString());
        assertThat(new ServeLayout(data()).postgresLocation()).doesNotExist();
        assertThat(server.stdout(serve)).contains("(" + kind + " banks, data in ");
        assertBanksAreJdbcOnTheirOwnDatabases(kind.equals("jdbc") ? "escrow" : "xa");
        Map<String, String> answered = new ConcurrentHashMap<>();

        List<LoadUntilKill.Transfer> sent =
                LoadUntilKill.run(server, RING, ANSWERS_BEFORE_KILL, READY_TIMEOUT, answered, () -> {
                    if (kind.equals("jdbc-xa")) {
                        awaitPreparedTransaction();
                    }
                    server.sigkillEverything(serve);
                });
        startServe();

        assertBanksAreJdbcOnTheirOwnDatabases(kind.equals("jdbc") ? "escrow" : "xa");
        assertThat(preparedTransactions())
                .as("prepared transactions after recovery")
                .isZero();
        assertThat(answered).hasSizeGreaterThanOrEqualTo(ANSWERS_BEFORE_KILL);
        server.assertOutcomesKeptAndMoneyConserved(BANK_OF_ACCOUNT, OPENING, sent, answered);
    }

    private void assertBanksAreJdbcOnTheirOwnDatabases(String mode) throws IOException {
        JsonNode banks = JSON.readTree(data().resolve("banks.json").toFile()).path("banks");
        assertThat(banks).hasSize(3);
        for (JsonNode bank : banks) {
            assertThat(bank.path("type").asText()).isEqualTo("jdbc");
            assertThat(bank.path("settings").path("mode").asText()).isEqualTo(mode);
            assertThat(bank.path("settings").path("url").asText())
                    .endsWith("/clearhouse_bank_" + bank.path("id").asText());
        }
    }

    /**
     * Returns once PostgreSQL lists a prepared transaction, so that the kill that follows finds branches prepared in
     * the database and recovery has something to finish. Each look is a query, not a pause.
     */
    private void awaitPreparedTransaction() {
        long deadline = System.nanoTime() + PREPARED_SEEN_TIMEOUT.toNanos();
        try (Connection connection = bankDatabase().connect();
                Statement statement = connection.createStatement()) {
            while (count(statement) == 0) {
                assertThat(System.nanoTime())
                        .as("no prepared transaction seen under load")
                        .isLessThan(deadline);
            }
        } catch (IOException | SQLException e) {
            throw new AssertionError("cannot read pg_prepared_xacts", e);
        }
    }

    /** The prepared transactions of the whole cluster: pg_prepared_xacts lists those of every database. */
    private long preparedTransactions() throws IOException, SQLException {
        try (Connection connection = bankDatabase().connect();
                Statement statement = connection.createStatement()) {
            return count(statement);
        }
    }

    private static long count(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_prepared_xacts")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Bank 1's database, as the banks file of the running serve names it (the port changes at every start). */
    private PostgresDatabase bankDatabase() throws IOException {
        JsonNode settings = JSON.readTree(data().resolve("banks.json").toFile())
                .path("banks")
                .path(0)
                .path("settings");
        return new PostgresDatabase(
                settings.path("url").asText(),
                settings.path("user").asText(),
                settings.path("password").asText());
    }

    private Process startServe(String... options) throws Exception {
        return server.start(READY_TIMEOUT, List.of(options));
    }

    private Path data() {
        return server.data();
    }
}
