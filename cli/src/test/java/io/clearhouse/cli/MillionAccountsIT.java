package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A batch over a million accounts in a 200 MB heap, run by the shaded jar in its own JVM with the launcher's
 * collector, as {@code CLEARHOUSE_JAVA_OPTS=-Xmx200m ./clearhouse batch} runs it: spread over a thousand banks, and
 * all in one. The output must be what executing the lines one by one gives: a result per line, in order, and every
 * account's final balance its opening balance moved by exactly the transfers reported committed, so that money is
 * conserved too. Before accounts were stored compactly, such a batch did not fit in 300 MB.
 */
class MillionAccountsIT {
    private static final long RUN_TIMEOUT_SECONDS = 120;
    private static final int TRANSFERS = 10_000;
    private static final JsonFactory JSON = new JsonFactory();

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0} banks of {1} accounts")
    @CsvSource({"1000, 1000", "1, 1000000"})
    void runsAMillionAccountsInA200MegabyteHeap(int banks, int accountsPerBank) throws Exception {
        Path state = directory.resolve("state.json");
        Path transactions = directory.resolve("transactions.csv");
        BatchInputGenerator generator = new BatchInputGenerator(banks, accountsPerBank, 20_261_207);
        generator.writeState(state);
        generator.writeTransactions(transactions, TRANSFERS);

        CommandRun run = runBatch(state, transactions);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        Map<String, Long> expected = readBalances(state);
        assertThat(expected).hasSize(banks * accountsPerBank);
        long openingTotal = total(expected);
        List<Transfer> committed = committedTransfers(run.stdout(), transactions);
        assertThat(committed).as("most transfers commit").hasSizeGreaterThan(TRANSFERS / 2);
        for (Transfer transfer : committed) {
            expected.merge(transfer.from(), -transfer.amount(), Long::sum);
            expected.merge(transfer.to(), transfer.amount(), Long::sum);
        }
        Map<String, Long> finalState = finalBalances(run.stdout());
        assertThat(total(finalState)).as("money is conserved").isEqualTo(openingTotal);
        assertThat(finalState).isEqualTo(expected);
    }

    private CommandRun runBatch(Path state, Path transactions) throws Exception {
        String jar = System.getProperty("clearhouse.jar", "target/clearhouse.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stdout = directory.resolve("out.json");
        Path stderr = directory.resolve("err.txt");
        Process process = new ProcessBuilder(
                        java,
                        "-XX:+UseParallelGC",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-Xmx200m",
                        "-jar",
                        jar,
                        "batch",
                        "--initial-state",
                        state.toString(),
                        "--transactions",
                        transactions.toString())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            assertThat(process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .as("batch finished")
                    .isTrue();
            return new CommandRun(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } finally {
            process.destroyForcibly();
        }
    }

    private record Transfer(String from, String to, long amount) {}

    /** The transfers of the results reported committed, after checking that there is one result per line. */
    private static List<Transfer> committedTransfers(String output, Path transactions) throws IOException {
        List<String> lines = Files.readAllLines(transactions);
        List<Transfer> committed = new ArrayList<>();
        int expectedLine = 2;
        try (JsonParser json = JSON.createParser(output)) {
            advanceTo(json, "results");
            json.nextToken();
            while (json.nextToken() == JsonToken.START_OBJECT) {
                Map<String, String> result = readFlatObject(json);
                int line = Integer.parseInt(result.get("line"));
                assertThat(line).as("results in line order, one per line").isEqualTo(expectedLine++);
                if (result.get("status").equals("committed")) {
                    String[] fields = lines.get(line - 1).split(",");
                    committed.add(new Transfer(fields[1], fields[2], Long.parseLong(fields[3])));
                }
            }
        }
        assertThat(expectedLine - 2).as("results").isEqualTo(TRANSFERS);
        return committed;
    }

    private static Map<String, String> readFlatObject(JsonParser json) throws IOException {
        Map<String, String> fields = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            fields.put(name, json.getText());
        }
        return fields;
    }

    private static Map<String, Long> finalBalances(String output) throws IOException {
        try (JsonParser json = JSON.createParser(output)) {
            advanceTo(json, "final_state");
            return readBanks(json);
        }
    }

    private static Map<String, Long> readBalances(Path state) throws IOException {
        try (JsonParser json = JSON.createParser(state.toFile())) {
            return readBanks(json);
        }
    }

    /** Every account of an object from bank id to accounts and balances, the parser at its start. */
    private static Map<String, Long> readBanks(JsonParser json) throws IOException {
        Map<String, Long> balances = new HashMap<>();
        assertThat(json.nextToken()).isEqualTo(JsonToken.START_OBJECT);
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            json.nextToken();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String account = json.currentName();
                json.nextToken();
                balances.put(account, json.getLongValue());
            }
        }
        return balances;
    }

    private static void advanceTo(JsonParser json, String field) throws IOException {
        JsonToken token;
        while ((token = json.nextToken()) != null) {
            if (token == JsonToken.FIELD_NAME && json.currentName().equals(field)) {
                return;
            }
        }
        throw new AssertionError("no " + field + " in the output");
    }

    private static long total(Map<String, Long> balances) {
        return balances.values().stream().mapToLong(Long::longValue).sum();
    }
}
