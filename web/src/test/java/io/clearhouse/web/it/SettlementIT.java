package io.clearhouse.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.bankserver.BankServerProcess;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Settling branches in doubt by hand on the server (Payara Micro, the decision log and the audit trail in PostgreSQL)
 * over two real bank servers, the second behind a {@link PhaseTwoGate} that refuses its commits and rollbacks until
 * phase two gives up on them; the recovery timer is an hour, so only the operator resolves them. A settlement moves
 * the money at that bank once, a second one finds nothing in doubt, an outcome against the log is refused and sends
 * nothing, a forced one is a heuristic decision on record with its reason, a bank that refuses leaves the branch in
 * doubt, and every manual action, a recovery pass included, is in {@code GET /api/audit}, a page at a time. Then the
 * invariants, read from the banks: nothing prepared or held, every balance as the decisions and the one heuristic
 * decision made it, money conserved but for that decision's amount.
 */
@ExtendWith(PostgresExtension.class)
class SettlementIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long OPENING_BALANCE = 1_000;
    private static final long FORCED_AMOUNT = 70;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final BankServerLedgers ledgers =
            new BankServerLedgers().bank("1", "a", OPENING_BALANCE).bank("2", "b", OPENING_BALANCE);

    @Test
    void settlesBranchesInDoubtByHandAndRecordsEveryManualAction(PostgresDatabase cluster) throws Exception {
        PostgresDatabase database = cluster.createFresh();
        Path directory = Path.of("target", "settlement").toAbsolutePath();
        ServerFiles.recreate(directory);
        Path state = directory.resolve("state.json");
        JSON.writeValue(state.toFile(), ledgers.opening());
        try (BankServerProcess first =
                        BankServerProcess.start(state, directory.resolve("bank-server-1"), "--banks", "1");
                BankServerProcess second =
                        BankServerProcess.start(state, directory.resolve("bank-server-2"), "--banks", "2");
                PhaseTwoGate gate = PhaseTwoGate.in(second.url())) {
            Map<String, URI> urls = new LinkedHashMap<>();
            urls.put("1", first.url());
            urls.put("2", gate.url());
            Path properties = ServerFiles.setProperties(
                    ServerFiles.writeSystemProperties(
                            directory, ServerFiles.writeRemoteBanksFile(directory, urls), database),
                    Map.of(
                            "clearhouse.recovery.interval-seconds", "3600",
                            "clearhouse.phase-two.attempts-max", "3",
                            "clearhouse.phase-two.retry-initial-delay-millis", "10",
                            "clearhouse.phase-two.retry-max-delay-millis", "50"));
            try (PayaraMicroProcess server = PayaraMicroProcess.start(properties, directory)) {
                Api api = server.awaitReady(READY_TIMEOUT);
                exercise(api, gate, second.url(), database);
            }
            assertInvariants(Map.of("1", first.url(), "2", second.url()));
        }
    }

    private void exercise(Api api, PhaseTwoGate gate, URI secondBank, PostgresDatabase database) throws Exception {
        assertThat(ledgers.transfer(api, "t-ok", "a0", "b0", 100)).isEqualTo("committed");
        // Learns the remote banks' opening totals while money is conserved, before a heuristic decision.
        assertThat(api.get("api/audit/conservation").json().get("conserved").booleanValue())
                .isTrue();

        gate.refusePhaseTwo();
        assertThat(ledgers.transfer(api, "t-commit", "a1", "b1", 50)).isEqualTo("committed");
        // a2 lacks the money: bank 1 votes no, bank 2 prepared the credit and never hears its rollback.
        assertThat(ledgers.transfer(api, "t-abort", "a2", "b2", 5_000)).isEqualTo("aborted");
        assertThat(ledgers.transfer(api, "t-force", "a3", "b3", FORCED_AMOUNT)).isEqualTo("committed");
        assertThat(ledgers.transfer(api, "t-down", "a4", "b4", 10)).isEqualTo("committed");
        Await.until("four branches in doubt at bank 2", () -> inDoubt(api).size() == 4);
        assertThat(inDoubt(api).get("t-abort").get("decision").textValue()).isEqualTo("rollback");

        assertBankUnavailableLeavesItInDoubt(api);
        gate.letPhaseTwoThrough();
        assertRefusedWhileTheTrailCannotBeWritten(api, gate, database);
        assertSettlesOnceThenFindsNothing(api, gate, secondBank);
        assertRefusesACommitAgainstTheLog(api, gate);
        assertForcedSettlementIsHeuristic(api);
        assertThat(settle(api, "t-down", "commit", "").status()).isEqualTo(200);
        assertThat(inDoubt(api)).isEmpty();
        assertConservationShowsTheHeuristicDecision(api);

        Api.Answer pass = api.post("api/recovery", "application/json", "");
        assertThat(pass.status()).as(pass.body()).isEqualTo(200);
        assertAuditTrail(api);
    }

    private void assertBankUnavailableLeavesItInDoubt(Api api) {
        Api.Answer unavailable = settle(api, "t-down", "commit", "");

        assertThat(unavailable.status()).as(unavailable.body()).isEqualTo(503);
        assertThat(unavailable.contentType()).startsWith("application/problem+json");
        assertThat(unavailable.json().get("reason").textValue()).isEqualTo("BANK_UNAVAILABLE");
        assertThat(inDoubt(api)).containsKey("t-down");
    }

    /** With the trail's table out of the way, a settlement is refused before anything is sent, and so is a read. */
    private static void assertRefusedWhileTheTrailCannotBeWritten(Api api, PhaseTwoGate gate, PostgresDatabase database)
            throws SQLException {
        int sentBefore = gate.phaseTwoPassed();
        renameTrail(database, "manual_action", "manual_action_away");
        Api.Answer refused;
        Api.Answer read;
        try {
            refused = settle(api, "t-commit", "commit", "");
            read = api.get("api/audit");
        } finally {
            renameTrail(database, "manual_action_away", "manual_action");
        }

        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.json().get("reason").textValue()).isEqualTo("AUDIT_UNAVAILABLE");
        assertThat(read.status()).as(read.body()).isEqualTo(503);
        assertThat(gate.phaseTwoPassed()).isEqualTo(sentBefore);
        assertThat(inDoubt(api)).containsKey("t-commit");
    }

    private static void renameTrail(PostgresDatabase database, String from, String to) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE clearhouse_audit." + from + " RENAME TO " + to);
        }
    }

    private void assertSettlesOnceThenFindsNothing(Api api, PhaseTwoGate gate, URI secondBank) {
        int sentBefore = gate.phaseTwoPassed();
        Api.Answer settled = settle(api, "t-commit", "commit", "");

        assertThat(settled.status()).as(settled.body()).isEqualTo(200);
        JsonNode body = settled.json();
        assertThat(body.get("audit_id").isIntegralNumber()).isTrue();
        assertThat(body.get("transaction_id").textValue()).isEqualTo("t-commit");
        assertThat(body.get("bank").textValue()).isEqualTo("2");
        assertThat(body.get("outcome").textValue()).isEqualTo("commit");
        assertThat(body.get("heuristic").booleanValue()).isFalse();
        assertThat(body.get("result").textValue()).isEqualTo("settled");
        assertThat(gate.phaseTwoPassed()).isEqualTo(sentBefore + 1);
        assertThat(BankServerLedgers.posted(secondBank, "2", "b1")).isEqualTo(OPENING_BALANCE + 50);
        assertThat(inDoubt(api)).doesNotContainKey("t-commit");

        Api.Answer again = settle(api, "t-commit", "commit", "");

        assertThat(again.status()).as(again.body()).isEqualTo(404);
        assertThat(again.json().get("reason").textValue()).isEqualTo("NOT_IN_DOUBT");
        assertThat(gate.phaseTwoPassed()).isEqualTo(sentBefore + 1);
        assertThat(BankServerLedgers.posted(secondBank, "2", "b1")).isEqualTo(OPENING_BALANCE + 50);
    }

    private void assertRefusesACommitAgainstTheLog(Api api, PhaseTwoGate gate) {
        int sentBefore = gate.phaseTwoPassed();
        Api.Answer refused = settle(api, "t-abort", "commit", "");

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("reason").textValue()).isEqualTo("DECISION_MISMATCH");
        assertThat(refused.json().get("detail").textValue()).contains("holds no commit decision");
        assertThat(gate.phaseTwoPassed()).isEqualTo(sentBefore);
        assertThat(inDoubt(api)).containsKey("t-abort");

        assertThat(settle(api, "t-abort", "rollback", "").status()).isEqualTo(200);
        assertThat(gate.phaseTwoPassed()).isEqualTo(sentBefore + 1);
    }

    private void assertForcedSettlementIsHeuristic(Api api) {
        Api.Answer withoutReason = settle(api, "t-force", "rollback", ",\"force\":true");
        assertThat(withoutReason.status()).isEqualTo(400);
        assertThat(withoutReason.json().get("field").textValue()).isEqualTo("reason");

        Api.Answer forced =
                settle(api, "t-force", "rollback", ",\"force\":true,\"reason\":\"bank 2 reversed it by phone\"");

        assertThat(forced.status()).as(forced.body()).isEqualTo(200);
        assertThat(forced.json().get("heuristic").booleanValue()).isTrue();
        // The log keeps its decision: the transaction is still reported as it was decided.
        JsonNode recorded = api.get("api/transactions/t-force").json();
        assertThat(recorded.get("status").textValue()).isEqualTo("committed");
    }

    /** Once nothing waits in doubt, the conservation audit shows the heuristic decision's damage. */
    private static void assertConservationShowsTheHeuristicDecision(Api api) {
        JsonNode conservation = api.get("api/audit/conservation").json();
        assertThat(conservation.get("difference").longValue())
                .as(conservation.toString())
                .isEqualTo(-FORCED_AMOUNT);
        assertThat(conservation.get("conserved").booleanValue()).isFalse();
    }

    /** Every manual action, newest first, with its actor, reason and result; a page at a time; bad pages refused. */
    private static void assertAuditTrail(Api api) {
        JsonNode entries = api.get("api/audit").json().get("entries");
        List<String> seen = new ArrayList<>();
        for (JsonNode entry : entries) {
            assertThat(entry.get("actor").textValue()).isEqualTo("anonymous");
            assertThat(Instant.parse(entry.get("at").textValue()))
                    .isBefore(Instant.now().plusSeconds(1));
            seen.add(entry.get("action").textValue() + " "
                    + entry.get("transaction_id").asText(null) + " "
                    + entry.get("outcome").asText(null) + ": "
                    + entry.get("result").textValue());
        }
        assertThat(seen)
                .containsExactly(
                        "recovery_pass null null: committed=0 rolled_back=0 skipped_in_flight=0 still_in_doubt=0",
                        "settle t-down commit: settled",
                        "forced_settle t-force rollback: settled: heuristic, the log decided commit",
                        "settle t-abort rollback: settled",
                        "settle t-abort commit: refused: DECISION_MISMATCH",
                        "settle t-commit commit: refused: NOT_IN_DOUBT",
                        "settle t-commit commit: settled",
                        "settle t-down commit: failed: BANK_UNAVAILABLE");
        JsonNode forced = entries.get(2);
        assertThat(forced.get("reason").textValue()).isEqualTo("bank 2 reversed it by phone");
        assertThat(forced.get("bank").textValue()).isEqualTo("2");
        JsonNode pass = entries.get(0);
        assertThat(pass.get("bank").isNull()).isTrue();
        assertThat(pass.get("reason").isNull()).isTrue();

        assertPages(api, entries);
        for (String query : List.of("limit=0", "limit=1001", "limit=ten", "before=-1", "before=x")) {
            Api.Answer refused = api.get("api/audit?" + query);
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(refused.json().get("field").textValue()).isEqualTo(query.substring(0, query.indexOf('=')));
        }
    }

    /** Pages of three, each below the last id of the one before, give the whole trail once, in order. */
    private static void assertPages(Api api, JsonNode entries) {
        List<Long> paged = new ArrayList<>();
        String query = "api/audit?limit=3";
        while (true) {
            JsonNode page = api.get(query).json().get("entries");
            assertThat(page.size()).isLessThanOrEqualTo(3);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(entry -> paged.add(entry.get("id").longValue()));
            query = "api/audit?limit=3&before="
                    + page.get(page.size() - 1).get("id").longValue();
        }
        List<Long> all = new ArrayList<>();
        entries.forEach(entry -> all.add(entry.get("id").longValue()));
        assertThat(paged).isEqualTo(all);
        assertThat(api.get("api/audit?limit=1").json().get("entries").size()).isEqualTo(1);
    }

    private static Api.Answer settle(Api api, String transactionId, String outcome, String more) {
        return api.postJson(
                "api/recovery/settlements",
                "{\"transaction_id\":\"" + transactionId + "\",\"bank\":\"2\",\"outcome\":\"" + outcome + "\"" + more
                        + "}");
    }

    /** What {@code GET /api/recovery} lists, by client id. */
    private static Map<String, JsonNode> inDoubt(Api api) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode transaction : api.get("api/recovery").json().get("transactions")) {
            byId.put(transaction.get("transaction_id").textValue(), transaction);
        }
        return byId;
    }

    /**
     * Nothing prepared or held; balances moved by the committed transfers, except b3, which the forced rollback of
     * t-force's branch never credited: the total is short by exactly that heuristic decision's amount.
     */
    private void assertInvariants(Map<String, URI> banks) {
        long total = ledgers.assertSettled(banks, Map.of("b3", -FORCED_AMOUNT));
        assertThat(total).isEqualTo(ledgers.openingTotal() - FORCED_AMOUNT);
    }
}
