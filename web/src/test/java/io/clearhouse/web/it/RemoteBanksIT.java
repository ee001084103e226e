package io.clearhouse.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.bankserver.BankServerProcess;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server (Payara Micro with the WAR, the decision log in PostgreSQL) over two banks in real bank-server
 * processes, named as {@code remote} banks in its banks file: transfers commit across them; a bank server that is down
 * makes its transfers abort with {@code BANK_UNAVAILABLE} at once; a rollback that cannot reach its bank is handed to
 * recovery and listed by {@code GET /api/recovery} with a growing age until the bank is back and a pass resolves it.
 * The conservation audit learns the remote banks' opening totals and says unknown while a bank server is down. Then
 * the invariants, read from the banks themselves.
 */
@ExtendWith(PostgresExtension.class)
class RemoteBanksIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long OPENING_BALANCE = 1_000;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final BankServerLedgers ledgers =
            new BankServerLedgers().bank("1", "a", OPENING_BALANCE).bank("2", "b", OPENING_BALANCE);

    @Test
    void servesTransfersOverBankServersAndListsABranchInDoubtUntilItsBankIsBack(PostgresDatabase cluster)
            throws Exception {
        Path directory = Path.of("target", "remote-banks").toAbsolutePath();
        ServerFiles.recreate(directory);
        Path state = directory.resolve("state.json");
        JSON.writeValue(state.toFile(), ledgers.opening());
        BankServerProcess first = BankServerProcess.start(state, directory.resolve("bank-server-1"), "--banks", "1");
        BankServerProcess second = BankServerProcess.start(state, directory.resolve("bank-server-2"), "--banks", "2");
        try {
            Path banksFile = ServerFiles.writeRemoteBanksFile(directory, List.of(first, second));
            Path properties = writeProperties(directory, banksFile, cluster.createFresh());
            try (PayaraMicroProcess server = PayaraMicroProcess.start(properties, directory)) {
                Api api = server.awaitReady(READY_TIMEOUT);
                second = exercise(api, second);
            }
            assertInvariants(first, second);
        } finally {
            first.close();
            second.close();
        }
    }

    /** The steps against the running server; answers the second bank server as it is at the end. */
    private BankServerProcess exercise(Api api, BankServerProcess second) throws InterruptedException {
        assertThat(ledgers.transfer(api, "t-1", "a0", "b0", 100)).isEqualTo("committed");
        assertConservedFromTheFirstSettledAudit(api);

        second.kill();
        assertUnknownWhileABankIsDown(api);
        Api.Answer down = api.postJson("api/transfers", BankServerLedgers.transferBody("t-down", "a1", "b1", 5));
        assertThat(down.status()).isEqualTo(200);
        assertThat(down.json().get("reason").textValue()).isEqualTo("BANK_UNAVAILABLE");

        second = second.restart();
        int[] probes = {0};
        Await.until("a transfer through the restarted server", () -> ledgers.transfer(
                        api, "probe-" + ++probes[0], "b2", "a2", 1)
                .equals("committed"));

        // The rollback of t-down could not reach the bank while it was down either: recovery resolves it now.
        Await.until(
                "the branches of the first down time resolved",
                () -> api.get("api/recovery").json().get("branches_in_doubt").intValue() == 0);

        second.pause();
        Api.Answer timedOut = api.postJson("api/transfers", BankServerLedgers.transferBody("t-doubt", "a3", "b3", 7));
        assertThat(timedOut.json().get("reason").textValue()).isEqualTo("TIMEOUT");
        // Killed while paused, the server never hears the rollback: phase two gives the branch to recovery.
        second.kill();
        JsonNode[] lastSeen = {null};
        JsonNode listed;
        try {
            listed = Await.value("the branch listed in doubt", () -> {
                lastSeen[0] = api.get("api/recovery").json();
                return lastSeen[0].get("branches_in_doubt").intValue() == 1 ? lastSeen[0] : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; GET /api/recovery answered last " + lastSeen[0], e);
        }
        JsonNode transaction = listed.get("transactions").get(0);
        assertThat(transaction.get("transaction_id").textValue()).isEqualTo("t-doubt");
        assertThat(transaction.get("decision").textValue()).isEqualTo("rollback");
        assertThat(transaction.get("banks").toString()).isEqualTo("[\"2\"]");
        Instant since = Instant.parse(transaction.get("in_doubt_since").textValue());
        double firstAge = transaction.get("age_seconds").doubleValue();
        assertThat(firstAge).isNotNegative();
        Await.until("the age growing while the bank stays down", () -> {
            JsonNode later = api.get("api/recovery").json().get("transactions").get(0);
            return later.get("age_seconds").doubleValue() > firstAge
                    && Instant.parse(later.get("in_doubt_since").textValue()).equals(since);
        });

        second = second.restart();
        Await.until(
                "the periodic recovery resolving the branch",
                () -> api.get("api/recovery").json().get("branches_in_doubt").intValue() == 0);
        return second;
    }

    /**
     * A remote bank's entry lists no accounts, so the first settled audit takes what the bank servers hold as their
     * opening totals, which are those of the state file since only a transfer, summing to zero, moved them.
     */
    private void assertConservedFromTheFirstSettledAudit(Api api) {
        JsonNode report = api.get("api/audit/conservation").json();

        long openingTotal = ledgers.openingTotal();
        assertThat(report.get("conserved").booleanValue()).as(report.toString()).isTrue();
        assertThat(report.get("expected_total").longValue()).isEqualTo(openingTotal);
        assertThat(report.get("actual_total").longValue()).isEqualTo(openingTotal);
        for (JsonNode bank : report.get("banks")) {
            // What the bank held at that audit, t-1 included: its share of the total, not its own opening.
            assertThat(bank.get("opening_from").textValue()).isEqualTo("first_settled_audit");
            assertThat(bank.get("opening_total").longValue())
                    .isEqualTo(bank.get("posted_total").longValue());
        }
        long firstBankOpening = ledgers.opening().get("1").values().stream()
                .mapToLong(Long::longValue)
                .sum();
        assertThat(report.get("banks").get(0).get("posted_total").longValue()).isEqualTo(firstBankOpening - 100);
    }

    /** A bank server down makes the audit unknown, never a violation, and leaves the server ready. */
    private static void assertUnknownWhileABankIsDown(Api api) {
        Api.Answer answer = api.get("api/audit/conservation");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode report = answer.json();
        assertThat(report.get("conserved").isNull()).as(report.toString()).isTrue();
        assertThat(report.get("actual_total").isNull()).isTrue();
        assertThat(report.get("difference").isNull()).isTrue();
        assertThat(report.get("banks").get(0).get("status").textValue()).isEqualTo("read");
        JsonNode down = report.get("banks").get(1);
        assertThat(down.get("bank").textValue()).isEqualTo("2");
        assertThat(down.get("status").textValue()).isEqualTo("unreadable");
        assertThat(down.get("error").textValue()).isNotBlank();
        Api.Answer ready = api.getFromRoot("health/ready");
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"unknown\"");
    }

    /** Every bank as its server holds it: nothing prepared or held, balances moved by exactly the committed ones. */
    private void assertInvariants(BankServerProcess first, BankServerProcess second) {
        long total = ledgers.assertSettled(Map.of("1", first.url(), "2", second.url()), Map.of());
        assertThat(total).isEqualTo(ledgers.openingTotal());
    }

    /** The tests' usual settings, with a short prepare deadline and a phase two that gives up after three tries. */
    private static Path writeProperties(Path directory, Path banksFile, PostgresDatabase database) {
        return ServerFiles.setProperties(
                ServerFiles.writeSystemProperties(directory, banksFile, database),
                Map.of(
                        "clearhouse.prepare-timeout-millis", "500",
                        "clearhouse.phase-two.attempts-max", "3",
                        "clearhouse.phase-two.retry-initial-delay-millis", "10",
                        "clearhouse.phase-two.retry-max-delay-millis", "50"));
    }
}
