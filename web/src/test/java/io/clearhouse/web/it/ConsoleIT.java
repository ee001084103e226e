package io.clearhouse.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.auth.Role;
import io.clearhouse.auth.SigningKeys;
import io.clearhouse.auth.TokenClaims;
import io.clearhouse.auth.TokenWriter;
import io.clearhouse.bankserver.BankServerProcess;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
import io.clearhouse.web.security.AuthenticationSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The operator console in a real browser (Debian's headless chromium) against a real server: Payara Micro with the WAR,
 * the decision log in PostgreSQL, two banks in bank-server processes, tokens checked against a key of the test's. An
 * operator opens {@code /console}, is refused with a token the server does not take and with one lacking the operator
 * role, enters an operator's token, sees a transfer sent through the API appear with its outcome (its id, which carries
 * markup, shown as text), runs a recovery pass from the button, and sees a branch left in doubt by a bank server killed
 * in phase two listed under its bank with a growing age; a commit against the log is refused with the server's words, a
 * rollback settles it, the row goes and the audit trail shows both actions. Recovery's interval is an hour, so nothing
 * but the page resolves the branch.
 */
@ExtendWith(PostgresExtension.class)
class ConsoleIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final String HOSTILE_ID =
            "t-<script>window.injected=1</script><img src=x onerror=\"window.injected=2\">";
    private static final String IN_DOUBT_ID = "t-doubt";
    private static final String ISSUER = "console-it";
    /** The subject of the test's tokens, which the audit trail names as the actor of the page's actions. */
    private static final String OPERATOR = "console-operator";
    /**
     * A short prepare deadline and a phase two that gives up after three quick tries, so that a bank server paused
     * and killed leaves its branch in doubt within a second or two; and recovery's timer an hour away.
     */
    private static final Map<String, String> QUICK_TO_GIVE_UP = Map.of(
            "clearhouse.prepare-timeout-millis", "500",
            "clearhouse.phase-two.attempts-max", "3",
            "clearhouse.phase-two.retry-initial-delay-millis", "10",
            "clearhouse.phase-two.retry-max-delay-millis", "50",
            "clearhouse.recovery.interval-seconds", "3600");

    @Test
    void showsTransfersAndBranchesInDoubtAndSettlesOneFromThePage(PostgresDatabase cluster) throws Exception {
        Path directory = Path.of("target", "console").toAbsolutePath();
        ServerFiles.recreate(directory);
        Map<String, Map<String, Long>> opening = new LinkedHashMap<>();
        opening.put("1", Map.of("a0", 1_000L, "a1", 1_000L, "a2", 1_000L));
        opening.put("2", Map.of("b0", 1_000L, "b1", 1_000L, "b2", 1_000L));
        Path state = directory.resolve("state.json");
        JSON.writeValue(state.toFile(), opening);
        BankServerProcess first = BankServerProcess.start(state, directory.resolve("bank-server-1"), "--banks", "1");
        BankServerProcess second = BankServerProcess.start(state, directory.resolve("bank-server-2"), "--banks", "2");
        try {
            Path banksFile = ServerFiles.writeRemoteBanksFile(directory, List.of(first, second));
            SigningKeys keys = new SigningKeys(directory.resolve("keys"));
            keys.createIfMissing();
            Map<String, String> settings = new LinkedHashMap<>(QUICK_TO_GIVE_UP);
            settings.put(
                    AuthenticationSettings.PUBLIC_KEY_LOCATION, keys.publicKey().toString());
            settings.put(AuthenticationSettings.ISSUER, ISSUER);
            Path properties = ServerFiles.setProperties(
                    ServerFiles.writeSystemProperties(directory, banksFile, cluster.createFresh()), settings);
            try (PayaraMicroProcess server = PayaraMicroProcess.start(properties, directory);
                    ConsoleBrowser browser = ConsoleBrowser.start(directory.resolve("browser"))) {
                Api api = server.awaitReady(READY_TIMEOUT)
                        .withToken(token(keys, Role.TRANSFER, Role.READ, Role.OPERATOR));
                signIn(browser, server.application() + "console", token(keys, Role.READ), token(keys, Role.OPERATOR));
                seeTransfersAppear(browser, api);
                runARecoveryPass(browser);
                second = leaveABranchInDoubt(browser, api, second);
                settleFromThePage(browser);
                assertSettledEverywhere(api);
            }
        } finally {
            first.close();
            second.close();
        }
    }

    /**
     * The page asks for a token before it shows anything; a token the server does not take (401) and one without the
     * operator role (403) are refused with the server's problem and asked for again; the operator's opens the
     * dashboard and is kept for the tab.
     */
    private static void signIn(ConsoleBrowser browser, String consoleUrl, String readToken, String operatorToken) {
        WebDriver driver = browser.driver();
        driver.get(consoleUrl);
        enterToken(browser, "not-a-token");
        assertThat(refusal(browser, "UNAUTHENTICATED")).contains("HTTP 401");
        assertThat(browser.byId("dashboard").isDisplayed()).isFalse();
        enterToken(browser, readToken);
        assertThat(refusal(browser, "FORBIDDEN")).contains("HTTP 403");
        enterToken(browser, operatorToken);
        browser.await("the dashboard", ignored -> browser.byId("dashboard").isDisplayed());
        browser.await(
                "a first refresh",
                ignored -> !browser.byId("last-refresh").getText().isEmpty());
        Object kept = ((JavascriptExecutor) driver)
                .executeScript("return sessionStorage.getItem('clearhouse.console.token');");
        assertThat(kept).isEqualTo(operatorToken);
        assertThat(browser.byId("cluster").isDisplayed())
                .as("no cluster section on a single server")
                .isFalse();
    }

    private static void enterToken(ConsoleBrowser browser, String token) {
        WebElement input = browser.await("the token form", ignored -> {
            WebElement field = browser.byId("token-input");
            return field.isDisplayed() ? field : null;
        });
        input.clear();
        input.sendKeys(token);
        browser.byId("token-submit").click();
    }

    /** The problem the page shows above the token form once the server refused a token with {@code reason}. */
    private static String refusal(ConsoleBrowser browser, String reason) {
        return browser.await("the token refused with " + reason, ignored -> {
            WebElement problem = browser.byId("token-problem");
            return problem.isDisplayed()
                            && problem.getText().contains(reason)
                            && browser.byId("token-input").isDisplayed()
                    ? problem.getText()
                    : null;
        });
    }

    /** A token of the test's key pair with {@code roles}, valid for an hour. */
    private static String token(SigningKeys keys, Role... roles) throws Exception {
        return new TokenWriter(keys.readPrivateKey())
                .write(TokenClaims.issue(ISSUER, OPERATOR, Set.of(roles), Instant.now(), Duration.ofHours(1)));
    }

    /** A committed transfer with markup in its id and an aborted one appear in the recent list and the counts. */
    private static void seeTransfersAppear(ConsoleBrowser browser, Api api) {
        assertThat(transfer(api, HOSTILE_ID, "a0", "b0", 100)).isEqualTo("committed");
        assertThat(transfer(api, "t-poor", "a1", "b1", 1_000_000)).isEqualTo("aborted");

        // The page replaces these tables on every refresh: each wait reads what it checks in one go.
        String shown = browser.await("the transfer in the recent list", ignored -> {
            WebElement row = recentRow(browser, HOSTILE_ID);
            return row == null
                    ? null
                    : row.getAttribute("data-status") + " | "
                            + row.findElement(By.className("id")).getText() + " | "
                            + row.findElement(By.className("status")).getText();
        });
        assertThat(shown).isEqualTo("committed | " + HOSTILE_ID + " | committed");
        assertThat(browser.driver().findElements(By.cssSelector("#recent-table script, #recent-table img")))
                .isEmpty();
        assertThat(((JavascriptExecutor) browser.driver()).executeScript("return window.injected === undefined;"))
                .as("the id's markup ran")
                .isEqualTo(true);
        browser.await("the aborted transfer with its reason", ignored -> {
            WebElement row = recentRow(browser, "t-poor");
            return row != null
                    && row.findElement(By.className("reason")).getText().equals("INSUFFICIENT_FUNDS");
        });
        browser.await(
                "one committed and one aborted for want of funds, at a rate above zero",
                ignored -> outcomeCount(browser, "[data-reason='INSUFFICIENT_FUNDS']") == 1
                        && outcomeCount(browser, "[data-outcome='committed']") == 1
                        && Double.parseDouble(
                                        browser.byId("committed-per-second").getText())
                                > 0);
        browser.await("the conservation audit saying conserved", ignored -> "true"
                .equals(browser.byId("conserved").getAttribute("data-conserved")));
    }

    private static void runARecoveryPass(ConsoleBrowser browser) {
        browser.byId("run-recovery").click();
        String answer = browser.await("the recovery pass's answer", ignored -> {
            String text = browser.byId("recovery-answer").getText();
            return text.isEmpty() ? null : text;
        });
        assertThat(answer).isEqualTo("committed 0, rolled back 0, still in doubt 0, skipped in flight 0");
        browser.await(
                "the pass in the audit trail",
                ignored -> auditRow(browser, "recovery_pass", Map.of("actor", OPERATOR)) != null);
    }

    /**
     * A prepare times out while the second bank server is paused; killed before it hears the rollback, it leaves
     * that branch to recovery. Restarted, it is reachable again, but recovery's next pass is an hour away.
     */
    private static BankServerProcess leaveABranchInDoubt(ConsoleBrowser browser, Api api, BankServerProcess second) {
        second.pause();
        Api.Answer timedOut = api.postJson("api/transfers", body(IN_DOUBT_ID, "a2", "b2", 7));
        assertThat(timedOut.json().get("reason").textValue()).isEqualTo("TIMEOUT");
        second.kill();
        WebElement row = browser.await("the branch in doubt", ignored -> inDoubtRow(browser, IN_DOUBT_ID, "2"));
        BankServerProcess restarted = second.restart();
        assertThat(row.findElement(By.className("decision")).getText()).isEqualTo("rollback");
        double firstAge = age(row);
        browser.await("the age growing", ignored -> {
            WebElement current = inDoubtRow(browser, IN_DOUBT_ID, "2");
            return current != null && age(current) > firstAge;
        });
        browser.await(
                "bank 2 listed with one branch in doubt",
                ignored -> browser.driver()
                                .findElement(By.cssSelector("#in-doubt-banks li[data-bank='2']"))
                                .getAttribute("data-branches")
                                .equals("1")
                        && browser.byId("in-doubt-count").getText().equals("1"));
        return restarted;
    }

    /**
     * Settles the branch from its row: a commit, which the log does not hold, is refused and the refusal shown as the
     * server worded it, the branch staying; a rollback settles it, the row goes and the audit trail shows who did it.
     */
    private static void settleFromThePage(ConsoleBrowser browser) {
        settle(browser, "commit", "");
        String refused = settlementAnswer(browser, "409");
        assertThat(refused).contains("DECISION_MISMATCH").contains("\"reason\":\"DECISION_MISMATCH\"");
        assertThat(browser.byId("settle-answer").getAttribute("data-reason")).isEqualTo("DECISION_MISMATCH");
        assertThat(inDoubtRow(browser, IN_DOUBT_ID, "2")).isNotNull();

        settle(browser, "rollback", "bank 2 is back; the log holds no commit");
        String settled = settlementAnswer(browser, "200");
        assertThat(settled).contains("\"result\":\"settled\"").contains("\"heuristic\":false");
        browser.await("the branch gone from the list", ignored -> inDoubtRow(browser, IN_DOUBT_ID, "2") == null);
        browser.await(
                "the settlement in the audit trail",
                ignored -> auditRow(
                                browser,
                                "settle",
                                Map.of(
                                        "actor", OPERATOR,
                                        "id", IN_DOUBT_ID,
                                        "bank", "2",
                                        "outcome", "rollback",
                                        "result", "settled"))
                        != null);
    }

    private static void settle(ConsoleBrowser browser, String outcome, String reason) {
        WebElement row = inDoubtRow(browser, IN_DOUBT_ID, "2");
        row.findElement(By.cssSelector("select.outcome option[value='" + outcome + "']"))
                .click();
        WebElement reasonField = row.findElement(By.className("reason"));
        reasonField.clear();
        reasonField.sendKeys(reason);
        row.findElement(By.className("settle-button")).click();
    }

    /** What the page shows of the settlement's answer once it is one of {@code status}. */
    private static String settlementAnswer(ConsoleBrowser browser, String status) {
        return browser.await("a settlement answered " + status, ignored -> {
            WebElement shown = browser.byId("settle-answer");
            return status.equals(shown.getAttribute("data-status")) ? shown.getText() : null;
        });
    }

    /** The audit trail's row of {@code action} whose cells of the given classes show the given texts. */
    private static WebElement auditRow(ConsoleBrowser browser, String action, Map<String, String> cells) {
        return browser.driver().findElements(By.cssSelector("#audit-table tbody tr")).stream()
                .filter(row -> action.equals(row.getAttribute("data-action")))
                .filter(row -> cells.entrySet().stream().allMatch(cell -> row.findElement(By.className(cell.getKey()))
                        .getText()
                        .equals(cell.getValue())))
                .findFirst()
                .orElse(null);
    }

    /** What the page showed, read from the API: nothing left in doubt, money conserved across the bank servers. */
    private static void assertSettledEverywhere(Api api) {
        assertThat(api.get("api/recovery").json().get("branches_in_doubt").intValue())
                .isZero();
        JsonNode audit = api.get("api/audit/conservation").json();
        assertThat(audit.get("conserved").booleanValue()).as(audit.toString()).isTrue();
    }

    private static WebElement recentRow(ConsoleBrowser browser, String id) {
        return rowWith(browser, "#recent-table tbody tr", Map.of("data-transaction-id", id))
                .orElse(null);
    }

    private static WebElement inDoubtRow(ConsoleBrowser browser, String id, String bank) {
        return rowWith(browser, "#in-doubt-table tbody tr", Map.of("data-transaction-id", id, "data-bank", bank))
                .orElse(null);
    }

    /** Compares attributes in Java, since ids may hold quotes that a CSS selector would need escaped. */
    private static Optional<WebElement> rowWith(ConsoleBrowser browser, String rows, Map<String, String> attributes) {
        return browser.driver().findElements(By.cssSelector(rows)).stream()
                .filter(row -> attributes.entrySet().stream()
                        .allMatch(entry -> entry.getValue().equals(row.getAttribute(entry.getKey()))))
                .findFirst();
    }

    private static long outcomeCount(ConsoleBrowser browser, String rowSelector) {
        return Long.parseLong(browser.driver()
                .findElement(By.cssSelector("#outcomes-table tr" + rowSelector + " .count"))
                .getText());
    }

    private static double age(WebElement row) {
        return Double.parseDouble(row.findElement(By.className("age")).getAttribute("data-age-seconds"));
    }

    private static String transfer(Api api, String id, String from, String to, long amount) {
        Api.Answer answer = api.postJson("api/transfers", body(id, from, to, amount));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("status").textValue();
    }

    private static String body(String id, String from, String to, long amount) {
        return JSON.createObjectNode()
                .put("id", id)
                .put("from", from)
                .put("to", to)
                .put("amount", amount)
                .toString();
    }
}
