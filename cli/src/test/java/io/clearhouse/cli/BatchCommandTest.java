package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code batch} contract, field by field, through picocli in-process. */
class BatchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE = "{\"1\":{\"a\":100,\"b\":0},\"2\":{\"c\":50,\"big\":9223372036854775800}}";

    @TempDir
    Path directory;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(directory.resolve(name), content);
    }

    private CommandRun batch(String state, String transactions) throws IOException {
        return CommandRun.of(
                "batch",
                "--initial-state",
                write("state.json", state).toString(),
                "--transactions",
                write("tx.csv", transactions).toString());
    }

    private static List<String> results(CommandRun run) throws IOException {
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<String> results = new ArrayList<>();
        for (JsonNode result : JSON.readTree(run.stdout()).get("results")) {
            results.add(result.toString());
        }
        return results;
    }

    @Test
    void printsOneResultPerLineAndTheFinalStateInTheExactShape() throws IOException {
        CommandRun run = batch(STATE, "t1,a,c,30\nt2,c,b,80\n");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout())
                .isEqualTo("{\"results\":[{\"line\":1,\"transaction_id\":\"t1\",\"status\":\"committed\"},"
                        + "{\"line\":2,\"transaction_id\":\"t2\",\"status\":\"committed\"}],"
                        + "\"final_state\":{\"1\":{\"a\":70,\"b\":80},\"2\":{\"c\":0,\"big\":9223372036854775800}}}\n");
    }

    @Test
    void appliesTheFirstReasonThatHoldsInContractOrder() throws IOException {
        String transactions = String.join(
                "\n",
                "d,a,b,1",
                "d,a,b", // INVALID_FORMAT beats DUPLICATE_ID
                "d,a,b,x", // DUPLICATE_ID beats INVALID_AMOUNT
                "e,a,a,0", // INVALID_AMOUNT beats SAME_ACCOUNT
                "f,zz,zz,5", // SAME_ACCOUNT beats UNKNOWN_ACCOUNT
                "g,b,zz,500", // UNKNOWN_ACCOUNT beats INSUFFICIENT_FUNDS
                "h,zz,a,5", // UNKNOWN_ACCOUNT on the source
                "i,b,big,500", // INSUFFICIENT_FUNDS beats BALANCE_OVERFLOW
                "j,a,big,50", // BALANCE_OVERFLOW
                "k,a,big,7", // fits exactly
                "l,c,big,500", // INSUFFICIENT_FUNDS beats BALANCE_OVERFLOW within one bank
                "m,c,big,1"); // BALANCE_OVERFLOW within one bank

        assertThat(results(batch(STATE, transactions)))
                .containsExactly(
                        "{\"line\":1,\"transaction_id\":\"d\",\"status\":\"committed\"}",
                        aborted(2, "\"d\"", "INVALID_FORMAT"),
                        aborted(3, "\"d\"", "DUPLICATE_ID"),
                        aborted(4, "\"e\"", "INVALID_AMOUNT"),
                        aborted(5, "\"f\"", "SAME_ACCOUNT"),
                        aborted(6, "\"g\"", "UNKNOWN_ACCOUNT"),
                        aborted(7, "\"h\"", "UNKNOWN_ACCOUNT"),
                        aborted(8, "\"i\"", "INSUFFICIENT_FUNDS"),
                        aborted(9, "\"j\"", "BALANCE_OVERFLOW"),
                        "{\"line\":10,\"transaction_id\":\"k\",\"status\":\"committed\"}",
                        aborted(11, "\"l\"", "INSUFFICIENT_FUNDS"),
                        aborted(12, "\"m\"", "BALANCE_OVERFLOW"));
    }

    private static String aborted(int line, String id, String reason) {
        return "{\"line\":" + line + ",\"transaction_id\":" + id + ",\"status\":\"aborted\",\"reason\":\"" + reason
                + "\"}";
    }

    @Test
    void skipsBlankLinesAndALeadingHeaderButCountsThemInLineNumbers() throws IOException {
        String transactions = "\n  \ntransaction_id,source_account,destination_account,amount\n\nt1 , a , b , 10 \n"
                + "transaction_id,source_account,destination_account,amount\n";

        assertThat(results(batch(STATE, transactions)))
                .containsExactly(
                        "{\"line\":5,\"transaction_id\":\"t1\",\"status\":\"committed\"}",
                        aborted(6, "\"transaction_id\"", "INVALID_AMOUNT"));
    }

    @Test
    void reportsAnEmptyIdAsNull() throws IOException {
        assertThat(results(batch(STATE, ",a,b,5\n  ,a,b,5\n")))
                .containsExactly(aborted(1, "null", "INVALID_FORMAT"), aborted(2, "null", "INVALID_FORMAT"));
    }

    @Test
    void executesLinesAsIfOneAfterTheOther() throws IOException {
        String transactions = "t1,a,b,60\nt2,a,c,60\nt3,b,a,20\nt4,a,c,60\n";

        CommandRun run = batch(STATE, transactions);

        assertThat(results(run))
                .containsExactly(
                        "{\"line\":1,\"transaction_id\":\"t1\",\"status\":\"committed\"}",
                        aborted(2, "\"t2\"", "INSUFFICIENT_FUNDS"),
                        "{\"line\":3,\"transaction_id\":\"t3\",\"status\":\"committed\"}",
                        "{\"line\":4,\"transaction_id\":\"t4\",\"status\":\"committed\"}");
        assertThat(JSON.readTree(run.stdout()).get("final_state").toString())
                .isEqualTo("{\"1\":{\"a\":0,\"b\":40},\"2\":{\"c\":110,\"big\":9223372036854775800}}");
    }

    @Test
    void printsStatisticsOnStandardErrorOnlyWhenAsked() throws IOException {
        Path state = write("state.json", STATE);
        Path transactions = write("tx.csv", "t1,a,c,30\nt2,c,b,80\nt3,a,a,1\n");

        CommandRun run = CommandRun.of(
                "batch", "--initial-state", state.toString(), "--transactions", transactions.toString(), "--stats");

        assertThat(run.exitCode()).isZero();
        assertThat(JSON.readTree(run.stdout()).get("results")).hasSize(3);
        assertThat(run.stderr())
                .startsWith("stats: 2 transfers")
                .contains("transfers/s", "messages per transfer", "forced writes per transfer");
    }

    @Test
    void endsStatisticsWithOneJsonObjectOnALineOfItsOwn() throws IOException {
        Path state = write("state.json", STATE);
        Path transactions = write("tx.csv", "t1,a,c,30\nt2,c,b,80\nt3,a,a,1\n");

        CommandRun run = CommandRun.of(
                "batch", "--initial-state", state.toString(), "--transactions", transactions.toString(), "--stats");

        String[] lines = run.stderr().strip().split("\n");
        JsonNode figures = JSON.readTree(lines[lines.length - 1]);
        assertThat(figures.get("lines").asLong()).isEqualTo(3);
        assertThat(figures.get("transfers").asLong()).isEqualTo(2);
        assertThat(figures.get("wall_seconds").asDouble()).isPositive();
        assertThat(figures.get("transfers_per_second").asDouble()).isPositive();
        // Both transfers cross two in-memory banks: a prepare and a commit to each, one branch per message.
        assertThat(figures.get("messages_per_transfer").asDouble()).isEqualTo(4.0);
        assertThat(figures.get("branches_per_message").asDouble()).isEqualTo(1.0);
        assertThat(figures.get("forced_writes_per_transfer").asDouble()).isZero();
        // The whole process's allocation, here the test JVM's since it started: at least what parsing took.
        assertThat(figures.get("allocated_bytes_per_line").isNumber())
                .as(figures.toString())
                .isTrue();
        assertThat(figures.get("allocated_bytes_per_line").asDouble()).isPositive();
    }

    @Test
    void runsAgainstTheBanksOfABanksFileAsAgainstTheSameInitialState() throws IOException {
        Path banksFile = write(
                "banks.json",
                "{\"banks\": [{\"id\": \"2\", \"type\": \"memory\", \"accounts\": {\"c\": 50, \"d\": 0}},"
                        + "{\"id\": \"1\", \"type\": \"memory\", \"accounts\": {\"a\": 100, \"b\": 0}}]}");
        Path transactions = write("tx.csv", "t1,a,c,30\nt2,c,b,80\nt3,b,zz,1\nt4,d,a,1\n");

        CommandRun run =
                CommandRun.of("batch", "--banks-file", banksFile.toString(), "--transactions", transactions.toString());

        assertThat(results(run))
                .containsExactly(
                        "{\"line\":1,\"transaction_id\":\"t1\",\"status\":\"committed\"}",
                        "{\"line\":2,\"transaction_id\":\"t2\",\"status\":\"committed\"}",
                        aborted(3, "\"t3\"", "UNKNOWN_ACCOUNT"),
                        aborted(4, "\"t4\"", "INSUFFICIENT_FUNDS"));
        assertThat(JSON.readTree(run.stdout()).get("final_state").toString())
                .isEqualTo("{\"2\":{\"c\":0,\"d\":0},\"1\":{\"a\":70,\"b\":80}}");
    }

    @Test
    void refusesBothOrNeitherSourceOfBanks() throws IOException {
        Path state = write("state.json", STATE);
        Path transactions = write("tx.csv", "t1,a,c,30\n");

        CommandRun both = CommandRun.of(
                "batch",
                "--initial-state",
                state.toString(),
                "--banks-file",
                state.toString(),
                "--transactions",
                transactions.toString());
        CommandRun neither = CommandRun.of("batch", "--transactions", transactions.toString());

        for (CommandRun run : List.of(both, neither)) {
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.stdout()).isEmpty();
            assertThat(run.stderr().strip()).doesNotContain("\n").contains("--initial-state", "--banks-file");
        }
    }

    @Test
    void refusesABanksFileItCannotUseNamingWhereAndWhy() throws IOException {
        Path transactions = write("tx.csv", "t1,a,c,30\n");
        Path badField = write("bad-field.json", "{\"banks\": [{\"id\": \"1\", \"type\": 7}]}");
        Path unknownType = write("unknown-type.json", "{\"banks\": [{\"id\": \"1\", \"type\": \"carrier-pigeon\"}]}");
        Path sharedAccount = write(
                "shared.json",
                "{\"banks\": [{\"id\": \"1\", \"type\": \"memory\", \"accounts\": {\"a\": 1}},"
                        + "{\"id\": \"2\", \"type\": \"memory\", \"accounts\": {\"a\": 1}}]}");

        assertRefusedBanksFile(badField, transactions, "banks[0].type must be a string");
        assertRefusedBanksFile(unknownType, transactions, "bank \"1\": no bank adapter of type 'carrier-pigeon'");
        assertRefusedBanksFile(sharedAccount, transactions, "\"a\" is also in bank \"1\"");
    }

    private static void assertRefusedBanksFile(Path banksFile, Path transactions, String problem) {
        CommandRun run =
                CommandRun.of("batch", "--banks-file", banksFile.toString(), "--transactions", transactions.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().strip())
                .doesNotContain("\n")
                .startsWith("clearhouse batch: banks file " + banksFile)
                .contains(problem);
    }

    @Test
    void printsAnEmptyResultListForAFileWithOnlyAHeader() throws IOException {
        CommandRun run = batch("{\"x\":{}}", "transaction_id,source_account,destination_account,amount\n");

        assertThat(run.stdout()).isEqualTo("{\"results\":[],\"final_state\":{\"x\":{}}}\n");
    }

    @Test
    void keepsTheBanksAndAccountsInTheOrderOfTheInitialState() throws IOException {
        CommandRun run = batch("{\"9\":{\"z\":1,\"a\":2},\"10\":{\"m\":3}}", "");

        assertThat(run.stdout())
                .isEqualTo("{\"results\":[],\"final_state\":{\"9\":{\"z\":1,\"a\":2},\"10\":{\"m\":3}}}\n");
    }

    @Test
    void commitsInABankWhoseIdIsEmpty() throws IOException {
        CommandRun run = batch("{\"\":{\"p\":10,\"q\":0}}", "t1,p,q,1\n");

        assertThat(results(run)).containsExactly("{\"line\":1,\"transaction_id\":\"t1\",\"status\":\"committed\"}");
        assertThat(run.stdout()).contains("\"final_state\":{\"\":{\"p\":9,\"q\":1}}");
    }

    @Test
    void handlesIdsAndAccountsOfThousandsOfCharacters() throws IOException {
        String id = "t".repeat(5_000);
        String account = "\u8d26".repeat(5_000);
        CommandRun run = batch(
                "{\"1\":{\"" + account + "\":10},\"2\":{\"c\":0}}",
                id + "," + account + ",c,4\n" + id + "x,c," + account + ",9\n");

        assertThat(results(run))
                .containsExactly(
                        "{\"line\":1,\"transaction_id\":\"" + id + "\",\"status\":\"committed\"}",
                        "{\"line\":2,\"transaction_id\":\"" + id
                                + "x\",\"status\":\"aborted\",\"reason\":\"INSUFFICIENT_FUNDS\"}");
    }

    @Test
    void refusesIdsAndAccountsLongerThanTheDecisionLogStoresAsInvalidFormatAndRunsTheRest() throws IOException {
        String longId = "x".repeat(100_000);
        String longAccount = "a".repeat(16_385);
        CommandRun run = batch(
                STATE,
                "t1,a,c,30\n" + longId + ",a,c,1\n\nt3," + longAccount + ",c,1\nt4,c," + longAccount
                        + ",1\nt5,c\u0000,b,1\nt6,c,b,5\n");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout())
                .isEqualTo("{\"results\":[{\"line\":1,\"transaction_id\":\"t1\",\"status\":\"committed\"},"
                        + "{\"line\":2,\"transaction_id\":\"" + longId
                        + "\",\"status\":\"aborted\",\"reason\":\"INVALID_FORMAT\"},"
                        + "{\"line\":4,\"transaction_id\":\"t3\",\"status\":\"aborted\",\"reason\":\"INVALID_FORMAT\"},"
                        + "{\"line\":5,\"transaction_id\":\"t4\",\"status\":\"aborted\",\"reason\":\"INVALID_FORMAT\"},"
                        + "{\"line\":6,\"transaction_id\":\"t5\",\"status\":\"aborted\",\"reason\":\"INVALID_FORMAT\"},"
                        + "{\"line\":7,\"transaction_id\":\"t6\",\"status\":\"committed\"}],"
                        + "\"final_state\":{\"1\":{\"a\":70,\"b\":5},\"2\":{\"c\":75,\"big\":9223372036854775800}}}\n");
    }

    @Test
    void takesIdsAndAccountsOfExactlyTheDocumentedLimit() throws IOException {
        String id = "t".repeat(16_384);
        String account = "\u8d26".repeat(16_384);

        assertThat(results(batch("{\"1\":{\"" + account + "\":10},\"2\":{\"c\":0}}", id + "," + account + ",c,4\n")))
                .containsExactly("{\"line\":1,\"transaction_id\":\"" + id + "\",\"status\":\"committed\"}");
    }
}
