package io.clearhouse.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST contract, from outside, against the built WAR in a real Payara Micro and PostgreSQL. */
@ExtendWith(ArquillianExtension.class)
class RestApiIT {
    @ArquillianResource
    private URL application;

    private Api api;

    @Deployment(testable = false)
    static WebArchive war() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("clearhouse.war")));
    }

    @BeforeEach
    void awaitServer() throws InterruptedException {
        api = new Api(application);
        api.awaitReady(Duration.ofSeconds(120));
    }

    private static String id() {
        return "t-" + UUID.randomUUID();
    }

    private static String transfer(String id, String from, String to, long amount) {
        return "{\"id\":\"" + id + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"amount\":" + amount + "}";
    }

    @Test
    void committedTransferMovesMoneyAcrossBanksAndIsRecorded() {
        String from = ServerFixture.account("1", 0);
        String to = ServerFixture.account("2", 0);
        long fromBefore = api.balance(from);
        long toBefore = api.balance(to);
        String id = id();

        Api.Answer answer = api.postJson("api/transfers", transfer(id, from, to, 70));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(json("{\"id\":\"" + id + "\",\"status\":\"committed\"}"));
        assertThat(api.balance(from)).isEqualTo(fromBefore - 70);
        assertThat(api.balance(to)).isEqualTo(toBefore + 70);
        Api.Answer recorded = api.get("api/transfers/" + id);
        assertThat(recorded.status()).isEqualTo(200);
        assertThat(recorded.json())
                .isEqualTo(json("{\"id\":\"" + id + "\",\"status\":\"committed\",\"from\":\"" + from + "\",\"to\":\""
                        + to + "\",\"amount\":70}"));
    }

    @Test
    void retryWithTheSameBodyAnswersTheFirstOutcomeAndAppliesOnce() {
        String from = ServerFixture.account("1", 1);
        String to = ServerFixture.account("3", 1);
        long fromBefore = api.balance(from);
        String body = transfer(id(), from, to, 5);

        Api.Answer first = api.postJson("api/transfers", body);
        Api.Answer second = api.postJson("api/transfers", body);

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(api.balance(from)).isEqualTo(fromBefore - 5);
    }

    @Test
    void sameIdWithAnotherBodyIsADuplicateAndChangesNothing() {
        String from = ServerFixture.account("1", 2);
        String to = ServerFixture.account("2", 2);
        String id = id();
        api.postJson("api/transfers", transfer(id, from, to, 5));
        long fromBefore = api.balance(from);

        Api.Answer answer = api.postJson("api/transfers", transfer(id, from, to, 6));

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("reason").textValue()).isEqualTo("DUPLICATE_ID");
        assertThat(answer.json().get("status").intValue()).isEqualTo(409);
        assertThat(api.balance(from)).isEqualTo(fromBefore);
        assertThat(api.get("api/transfers/" + id).json().get("amount").longValue())
                .isEqualTo(5);
    }

    @Test
    void anIdTheServerNoLongerHoldsInMemoryIsAnsweredFromTheDecisionLog() {
        String from = ServerFixture.account("1", 13);
        String to = ServerFixture.account("2", 13);
        long fromBefore = api.balance(from);
        String id = id();
        String body = transfer(id, from, to, 3);
        Api.Answer first = api.postJson("api/transfers", body);
        for (int i = 0; i <= ServerFiles.FINISHED_OUTCOMES_IN_MEMORY_MAX; i++) {
            Api.Answer filler = api.postJson(
                    "api/transfers", transfer(id(), ServerFixture.account("3", 13), ServerFixture.account("1", 14), 1));
            assertThat(filler.json().get("status").textValue()).isEqualTo("committed");
        }

        Api.Answer retry = api.postJson("api/transfers", body);
        Api.Answer otherBody = api.postJson("api/transfers", transfer(id, from, to, 4));

        assertThat(first.json().get("status").textValue()).isEqualTo("committed");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(otherBody.status()).isEqualTo(409);
        assertThat(otherBody.json().get("reason").textValue()).isEqualTo("DUPLICATE_ID");
        assertThat(api.get("api/transfers/" + id).json().get("amount").longValue())
                .isEqualTo(3);
        assertThat(api.balance(from)).isEqualTo(fromBefore - 3);
    }

    static Stream<Arguments> invalidTransfers() {
        String a = ServerFixture.account("1", 3);
        String b = ServerFixture.account("2", 3);
        return Stream.of(
                Arguments.of("{\"id\":\"x\",", "INVALID_FORMAT", null),
                Arguments.of("[1,2]", "INVALID_FORMAT", null),
                Arguments.of("", "INVALID_FORMAT", null),
                Arguments.of("{\"from\":\"" + a + "\",\"to\":\"" + b + "\",\"amount\":1}", "INVALID_FORMAT", "id"),
                Arguments.of(
                        "{\"id\":\"ID\",\"from\":\"\",\"to\":\"" + b + "\",\"amount\":1}", "INVALID_FORMAT", "from"),
                Arguments.of("{\"id\":\"ID\",\"from\":\"" + a + "\",\"amount\":1}", "INVALID_FORMAT", "to"),
                Arguments.of("{\"id\":\"ID\",\"from\":\"" + a + "\",\"to\":\"" + b + "\"}", "INVALID_FORMAT", "amount"),
                Arguments.of(transfer("ID", a, b, 0), "INVALID_AMOUNT", "amount"),
                Arguments.of(transfer("ID", a, b, -3), "INVALID_AMOUNT", "amount"),
                Arguments.of(
                        "{\"id\":\"ID\",\"from\":\"" + a + "\",\"to\":\"" + b + "\",\"amount\":9223372036854775808}",
                        "INVALID_AMOUNT",
                        "amount"),
                Arguments.of(
                        "{\"id\":\"ID\",\"from\":\"" + a + "\",\"to\":\"" + b + "\",\"amount\":1.5}",
                        "INVALID_AMOUNT",
                        "amount"),
                Arguments.of(
                        "{\"id\":\"ID\",\"from\":\"" + a + "\",\"to\":\"" + b + "\",\"amount\":\"10\"}",
                        "INVALID_AMOUNT",
                        "amount"),
                Arguments.of(transfer("ID", a, a, 10), "SAME_ACCOUNT", "to"));
    }

    @ParameterizedTest
    @MethodSource("invalidTransfers")
    void invalidRequestsAreProblemsThatChangeAndRecordNothing(String body, String reason, String field) {
        String id = "ID";
        String a = ServerFixture.account("1", 3);
        long before = api.balance(a);

        Api.Answer answer = api.postJson("api/transfers", body.replace("\"ID\"", "\"invalid-" + reason + "\""));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.get("status").intValue()).isEqualTo(400);
        assertThat(problem.get("reason").textValue()).isEqualTo(reason);
        assertThat(problem.get("type").textValue()).isNotBlank();
        assertThat(problem.get("title").textValue()).isNotBlank();
        assertThat(problem.get("detail").textValue()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("field").textValue()).isEqualTo(field);
        }
        assertThat(api.balance(a)).isEqualTo(before);
        assertThat(api.get("api/transfers/invalid-" + reason).status()).isEqualTo(404);
        assertThat(api.get("api/transfers/" + id).status()).isEqualTo(404);
    }

    @Test
    void idsAndBodiesOverTheLimitsAreRefusedNamingTheLimitAndChangeAndRecordNothing() {
        String a = ServerFixture.account("1", 3);
        String b = ServerFixture.account("2", 3);
        long aBefore = api.balance(a);
        long bBefore = api.balance(b);

        Api.Answer longId = api.postJson("api/transfers", transfer("x".repeat(100_000), a, b, 1));
        // PostgreSQL's text cannot hold U+0000; U+0085, a control character too, can be asked for by GET (Grizzly
        // itself refuses %00 in a path).
        Api.Answer nulId = api.postJson("api/transfers", transfer("nul\\u0000id", a, b, 1));
        Api.Answer nelId = api.postJson("api/transfers", transfer("nel\\u0085id", a, b, 1));
        Api.Answer longAccount = api.postJson(
                "api/transactions",
                "{\"id\":\"" + id() + "\",\"postings\":[{\"account\":\"" + a + "\",\"amount\":-1},{\"account\":\""
                        + "b".repeat(16_385) + "\",\"amount\":1}]}");
        Api.Answer largeBody =
                api.postJson("api/transfers", transfer(id(), a, b, 1) + " ".repeat(ServerFiles.BODY_BYTES_MAX_DEFAULT));

        assertThat(longId.status()).isEqualTo(400);
        assertThat(longId.contentType()).startsWith("application/problem+json");
        assertThat(longId.json())
                .isEqualTo(json("{\"type\":\"urn:clearhouse:problem:invalid-format\",\"title\":\"Invalid request\","
                        + "\"status\":400,\"detail\":\"id has 100000 characters, more than "
                        + "clearhouse.limits.id-length-max (16384)\",\"reason\":\"INVALID_FORMAT\",\"field\":\"id\"}"));
        assertThat(nulId.status()).isEqualTo(400);
        assertThat(nulId.json().get("detail").textValue())
                .isEqualTo("id contains the control character U+0000 at index 3");
        assertThat(nelId.status()).isEqualTo(400);
        assertThat(api.get("api/transfers/nel%C2%85id").status()).isEqualTo(404);
        assertThat(longAccount.status()).isEqualTo(400);
        assertThat(longAccount.json().get("field").textValue()).isEqualTo("postings[1].account");
        assertThat(largeBody.status()).isEqualTo(413);
        assertThat(largeBody.json().get("reason").textValue()).isEqualTo("INVALID_FORMAT");
        assertThat(largeBody.json().get("detail").textValue()).contains("clearhouse.limits.body-bytes-max");
        assertThat(api.balance(a)).isEqualTo(aBefore);
        assertThat(api.balance(b)).isEqualTo(bBefore);
        String severalHundred = "y".repeat(264) + UUID.randomUUID();
        assertThat(api.postJson("api/transfers", transfer(severalHundred, a, b, 1))
                        .json()
                        .get("status")
                        .textValue())
                .as("an id of a few hundred characters works as before")
                .isEqualTo("committed");
    }

    @Test
    void businessAbortsAreAnsweredAndRecordedUnderTheId() {
        String poor = ServerFixture.account("3", 4);
        String unknownId = id();
        String fundsId = id();

        Api.Answer unknown = api.postJson("api/transfers", transfer(unknownId, poor, "nobody-has-this", 1));
        Api.Answer funds =
                api.postJson("api/transfers", transfer(fundsId, poor, ServerFixture.account("1", 4), Long.MAX_VALUE));

        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.json().get("status").textValue()).isEqualTo("aborted");
        assertThat(unknown.json().get("reason").textValue()).isEqualTo("UNKNOWN_ACCOUNT");
        assertThat(funds.json().get("reason").textValue()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(api.get("api/transfers/" + fundsId).json().get("reason").textValue())
                .isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(api.get("api/transfers/" + unknownId).json().get("status").textValue())
                .isEqualTo("aborted");
        assertThat(api.balance(poor)).isEqualTo(ServerFixture.OPENING_BALANCE);
    }

    @Test
    void transactionSpanningThreeBanksCommitsEveryPosting() {
        String a = ServerFixture.account("1", 5);
        String b = ServerFixture.account("2", 5);
        String c = ServerFixture.account("3", 5);
        String id = id();
        String body = "{\"id\":\"" + id + "\",\"postings\":[{\"account\":\"" + a + "\",\"amount\":-30},"
                + "{\"account\":\"" + b + "\",\"amount\":10},{\"account\":\"" + c + "\",\"amount\":20}]}";

        Api.Answer answer = api.postJson("api/transactions", body);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("status").textValue()).isEqualTo("committed");
        assertThat(api.balance(a)).isEqualTo(ServerFixture.OPENING_BALANCE - 30);
        assertThat(api.balance(b)).isEqualTo(ServerFixture.OPENING_BALANCE + 10);
        assertThat(api.balance(c)).isEqualTo(ServerFixture.OPENING_BALANCE + 20);
        Api.Answer unbalanced = api.postJson(
                "api/transactions",
                "{\"id\":\"" + id() + "\",\"postings\":[{\"account\":\"" + a + "\",\"amount\":-30}," + "{\"account\":\""
                        + b + "\",\"amount\":10}]}");
        assertThat(unbalanced.status()).isEqualTo(400);
        assertThat(unbalanced.json().get("reason").textValue()).isEqualTo("UNBALANCED");
    }

    @Test
    void accountsAndStateShowPostedBalances() {
        String account = ServerFixture.account("2", 6);

        JsonNode view = api.get("api/accounts/" + account).json();
        JsonNode state = api.get("api/state").json();

        assertThat(view)
                .isEqualTo(json("{\"account\":\"" + account + "\",\"bank\":\"2\",\"balance\":"
                        + ServerFixture.OPENING_BALANCE + ",\"held\":0}"));
        assertThat(state.get("2").get(account).longValue()).isEqualTo(ServerFixture.OPENING_BALANCE);
        assertThat(state.size()).isEqualTo(ServerFixture.BANK_IDS.size());
        Api.Answer missing = api.get("api/accounts/nobody-has-this");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
    }

    @Test
    void batchRunsInLineOrderAgainstTheLiveBanks() {
        String a = ServerFixture.account("1", 7);
        String b = ServerFixture.account("2", 7);
        String csv = "transaction_id,source_account,destination_account,amount\n"
                + "1," + a + "," + b + "," + ServerFixture.OPENING_BALANCE + "\n"
                + "\n"
                + "2," + a + "," + b + ",1\n"
                + "3," + b + "," + a + ",5\n"
                + "1," + b + "," + a + ",5\n"
                + "4," + b + ",x,zero\n";

        Api.Answer answer = api.post("api/batches", "text/csv", csv);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode results = answer.json().get("results");
        assertThat(results.toString())
                .isEqualTo(
                        "[{\"line\":2,\"transaction_id\":\"1\",\"status\":\"committed\"},"
                                + "{\"line\":4,\"transaction_id\":\"2\",\"status\":\"aborted\",\"reason\":\"INSUFFICIENT_FUNDS\"},"
                                + "{\"line\":5,\"transaction_id\":\"3\",\"status\":\"committed\"},"
                                + "{\"line\":6,\"transaction_id\":\"1\",\"status\":\"aborted\",\"reason\":\"DUPLICATE_ID\"},"
                                + "{\"line\":7,\"transaction_id\":\"4\",\"status\":\"aborted\",\"reason\":\"INVALID_AMOUNT\"}]");
        JsonNode finalState = answer.json().get("final_state");
        assertThat(finalState.get("1").get(a).longValue()).isEqualTo(5);
        assertThat(finalState.get("2").get(b).longValue()).isEqualTo(2 * ServerFixture.OPENING_BALANCE - 5);
    }

    @Test
    void batchOverTheLineLimitIsRefusedBeforeAnyLineRuns() {
        String a = ServerFixture.account("3", 6);
        String b = ServerFixture.account("1", 6);
        long aBefore = api.balance(a);
        StringBuilder csv = new StringBuilder("transaction_id,source_account,destination_account,amount\n");
        for (int i = 0; i <= ServerFiles.BATCH_LINES_MAX; i++) {
            csv.append("big-")
                    .append(i)
                    .append(',')
                    .append(a)
                    .append(',')
                    .append(b)
                    .append(",1\n");
        }

        Api.Answer answer = api.post("api/batches", "text/csv", csv.toString());

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("reason").asText()).isEqualTo("INVALID_FORMAT");
        assertThat(answer.json().get("detail").asText())
                .contains("more than " + ServerFiles.BATCH_LINES_MAX + " lines")
                .contains("line " + (ServerFiles.BATCH_LINES_MAX + 2));
        assertThat(api.balance(a)).isEqualTo(aBefore);
    }

    @Test
    void batchOverTheByteLimitIsRefusedBeforeAnyLineRuns() {
        String a = ServerFixture.account("3", 20);
        String b = ServerFixture.account("1", 20);
        long aBefore = api.balance(a);
        String longId = "x".repeat(ServerFiles.BATCH_BODY_BYTES_MAX);
        String csv = "transaction_id,source_account,destination_account,amount\n"
                + "first," + a + "," + b + ",1\n"
                + longId + "," + a + "," + b + ",1\n";

        Api.Answer answer = api.post("api/batches", "text/csv", csv);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("reason").asText()).isEqualTo("INVALID_FORMAT");
        assertThat(answer.json().get("detail").asText())
                .contains("more than " + ServerFiles.BATCH_BODY_BYTES_MAX + " bytes")
                .contains("clearhouse.batch.body-bytes-max");
        assertThat(api.balance(a)).isEqualTo(aBefore);
    }

    @Test
    void aBatchRetriedWithItsIdempotencyKeyAnswersTheFirstRunAndRunsNothing() {
        String a = ServerFixture.account("1", 21);
        String b = ServerFixture.account("2", 21);
        long aBefore = api.balance(a);
        String csv = "transaction_id,source_account,destination_account,amount\n"
                + "pay-1," + a + "," + b + ",10\n"
                + "pay-2," + a + "," + b + ",5\n"
                + "pay-3," + a + ",unknown-account,5\n";
        Map<String, String> key = Map.of("Idempotency-Key", "retry-" + UUID.randomUUID());

        Api.Answer first = api.post("api/batches", "text/csv", csv, key);
        String other = ServerFixture.account("3", 21);
        api.postJson(
                "api/transfers",
                "{\"id\":\"" + UUID.randomUUID() + "\",\"from\":\"" + b + "\",\"to\":\"" + other + "\",\"amount\":1}");
        Api.Answer retry = api.post("api/batches", "text/csv", csv, key);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("results").get(2).get("reason").asText()).isEqualTo("UNKNOWN_ACCOUNT");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body())
                .as("the first run's answer, final state included")
                .isEqualTo(first.body());
        assertThat(api.balance(a)).as("applied once").isEqualTo(aBefore - 15);

        Api.Answer withoutKey = api.post("api/batches", "text/csv", csv);
        assertThat(withoutKey.json().get("results").get(0).get("status").asText())
                .isEqualTo("committed");
        assertThat(api.balance(a)).as("without the header a batch runs again").isEqualTo(aBefore - 30);
    }

    @Test
    void anIdempotencyKeyUsedWithAnotherBodyIsAConflictThatRunsNothing() {
        String a = ServerFixture.account("2", 22);
        String b = ServerFixture.account("3", 22);
        Map<String, String> key = Map.of("Idempotency-Key", "other-body-" + UUID.randomUUID());
        String header = "transaction_id,source_account,destination_account,amount\n";
        api.post("api/batches", "text/csv", header + "t1," + a + "," + b + ",1\n", key);
        long aBefore = api.balance(a);

        Api.Answer answer = api.post("api/batches", "text/csv", header + "t1," + a + "," + b + ",2\n", key);

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("reason").asText()).isEqualTo("DUPLICATE_ID");
        assertThat(answer.json().get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(api.balance(a)).isEqualTo(aBefore);
    }

    @ParameterizedTest
    @MethodSource("keysOutsideTheRules")
    void anIdempotencyKeyOutsideItsRulesIsRefusedNamingTheHeader(String key, String rule) {
        String a = ServerFixture.account("2", 23);
        long aBefore = api.balance(a);
        String csv = "transaction_id,source_account,destination_account,amount\n" + "k1," + a + ","
                + ServerFixture.account("1", 23) + ",1\n";

        Api.Answer answer = api.post("api/batches", "text/csv", csv, Map.of("Idempotency-Key", key));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("reason").asText()).isEqualTo("INVALID_FORMAT");
        assertThat(answer.json().get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(answer.json().get("detail").asText()).contains(rule);
        assertThat(api.balance(a)).isEqualTo(aBefore);
    }

    static Stream<Arguments> keysOutsideTheRules() {
        return Stream.of(
                Arguments.of("k".repeat(256), "1 to 255 characters, not 256"),
                Arguments.of("with space", "character 5 is U+0020"),
                Arguments.of("caf\u00e9", "character 4 is U+00E9"));
    }

    @Test
    void recoveryListsWhatWaitsAndRunsAPassOnDemand() {
        Api.Answer listing = api.get("api/recovery");
        Api.Answer pass = api.post("api/recovery", "application/json", "");

        assertThat(listing.status()).isEqualTo(200);
        assertThat(listing.json().get("branches_in_doubt").intValue())
                .as("memory banks never fail a commit, so nothing waits")
                .isZero();
        assertThat(listing.json().get("transactions").isArray()).isTrue();
        assertThat(listing.json().get("transactions")).isEmpty();
        assertThat(pass.status()).isEqualTo(200);
        assertThat(pass.json().fieldNames())
                .toIterable()
                .containsExactly("committed", "rolled_back", "skipped_in_flight", "still_in_doubt");
        assertThat(pass.json().get("still_in_doubt").intValue()).isZero();
    }

    @Test
    void recoveryAtDeployCommittedTheDecidedBranchAndRolledBackTheOther() {
        assertThat(api.balance(ServerFixture.RECOVERED_DEBIT))
                .isEqualTo(ServerFixture.OPENING_BALANCE - ServerFixture.SEEDED_AMOUNT);
        assertThat(api.balance(ServerFixture.RECOVERED_CREDIT))
                .isEqualTo(ServerFixture.OPENING_BALANCE + ServerFixture.SEEDED_AMOUNT);
        JsonNode rolledBack =
                api.get("api/accounts/" + ServerFixture.ROLLED_BACK_DEBIT).json();
        assertThat(rolledBack.get("balance").longValue()).isEqualTo(ServerFixture.OPENING_BALANCE);
        assertThat(rolledBack.get("held").longValue()).isZero();
        assertThat(api.get("api/transfers/" + ServerFixture.SEEDED_COMMIT_ID)
                        .json()
                        .get("status")
                        .textValue())
                .isEqualTo("committed");
    }

    @Test
    void conservationAuditSumsEveryBankToTheOpeningTotalAfterCommitsAndAborts() {
        String from = ServerFixture.account("1", 15);
        String to = ServerFixture.account("3", 15);
        Api.Answer committed = api.postJson("api/transfers", transfer(id(), from, to, 400));
        Api.Answer aborted = api.postJson("api/transfers", transfer(id(), to, from, ServerFixture.OPENING_BALANCE * 2));
        assertThat(committed.json().get("status").textValue()).isEqualTo("committed");
        assertThat(aborted.json().get("reason").textValue()).isEqualTo("INSUFFICIENT_FUNDS");

        Api.Answer audit = api.get("api/audit/conservation");

        assertThat(audit.status()).isEqualTo(200);
        JsonNode report = audit.json();
        long openingTotal = ServerFixture.banks().values().stream()
                .flatMap(accounts -> accounts.values().stream())
                .mapToLong(Long::longValue)
                .sum();
        assertThat(report.get("settled").booleanValue())
                .as("no other test runs meanwhile: %s", report)
                .isTrue();
        assertThat(report.get("expected_total").longValue()).isEqualTo(openingTotal);
        assertThat(report.get("actual_total").longValue()).isEqualTo(openingTotal);
        assertThat(report.get("difference").longValue()).isZero();
        assertThat(report.get("conserved").booleanValue()).isTrue();
        assertThat(report.get("checked_at").textValue()).isNotBlank();
        JsonNode banks = report.get("banks");
        assertThat(banks).hasSize(ServerFixture.BANK_IDS.size());
        long postedSum = 0;
        for (int index = 0; index < banks.size(); index++) {
            JsonNode bank = banks.get(index);
            String bankId = ServerFixture.BANK_IDS.get(index);
            assertThat(bank.get("bank").textValue()).isEqualTo(bankId);
            assertThat(bank.get("status").textValue()).isEqualTo("read");
            assertThat(bank.get("opening_from").textValue()).isEqualTo("banks_file");
            assertThat(bank.get("opening_total").longValue())
                    .isEqualTo(ServerFixture.banks().get(bankId).values().stream()
                            .mapToLong(Long::longValue)
                            .sum());
            assertThat(bank.get("accounts").intValue())
                    .isEqualTo(ServerFixture.banks().get(bankId).size());
            postedSum += bank.get("posted_total").longValue();
        }
        assertThat(postedSum).isEqualTo(openingTotal);
        Api.Answer ready = api.getFromRoot("health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).contains("\"conservation\"").contains("\"conserved\"");
        Api.Answer metrics = api.getFromRoot("metrics");
        assertThat(metrics.body())
                .contains("# HELP clearhouse_conservation_difference")
                .containsPattern("(?m)^clearhouse_conservation_difference(\\{[^}]*\\})? 0(\\.0)?$");
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        Api.Answer live = api.getFromRoot("health/live");
        Api.Answer metrics = api.getFromRoot("metrics");
        Api.Answer openApi = api.getFromRoot("openapi");

        assertThat(live.status()).isEqualTo(200);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("clearhouse_transactions_committed");
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.body()).contains("/api/transfers");
    }

    @Test
    void everyMetricOfOursHasAHelpText() {
        String metrics = api.getFromRoot("metrics?scope=application").body();

        List<String> types = metrics.lines()
                .filter(line -> line.startsWith("# TYPE clearhouse_"))
                .map(line -> line.split(" ")[2])
                .toList();
        assertThat(types).isNotEmpty();
        for (String metric : types) {
            // Payara 6 prints a timer's derived _mean without the HELP it gives the timer and its _max.
            String family = metric.endsWith("_mean") && types.contains(metric.replaceFirst("_mean$", ""))
                    ? metric.replaceFirst("_mean$", "")
                    : metric;
            assertThat(metrics).as(metric).containsPattern("(?m)^# HELP " + family + " \\S");
        }
    }

    @Test
    void theServedOpenApiDocumentPassesTheLinter() throws Exception {
        Api.Answer openApi = api.getFromRoot("openapi");
        assertThat(openApi.status()).isEqualTo(200);

        OpenApiLint.Result lint = OpenApiLint.lint(openApi.body());

        assertThat(lint.exitCode()).as(lint.output()).isZero();
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
