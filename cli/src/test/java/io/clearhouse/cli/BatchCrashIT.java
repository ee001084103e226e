package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.bank.memory.MemoryBankGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a durable {@code batch} process with SIGKILL at random instants and checks that restarting it with the same
 * arguments prints exactly what an uninterrupted run prints, that a run on the finished directory prints it again
 * without applying anything twice, and that money is conserved. Runs the shaded jar as a separate JVM, so it needs
 * the {@code package} phase first. The seed is printed, and {@code -Dcrash.seed=N} replays one.
 */
class BatchCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RUN_TIMEOUT_SECONDS = 120;
    private static final int KILLS_PER_DIRECTORY = 3;
    private static final int DIRECTORIES = 3;

    @TempDir
    static Path inputs;

    private static Path state;
    private static Path transactions;
    private static String uninterrupted;
    /** How long the uninterrupted run took, JVM start included: the kills are spread over that time. */
    private static long uninterruptedMillis;

    @BeforeAll
    static void generateInputsAndRunOnceWithoutInterruption() throws Exception {
        BatchInputGenerator generator = new BatchInputGenerator(6, 15, 20_241_124);
        state = inputs.resolve("state.json");
        transactions = inputs.resolve("transactions.csv");
        generator.writeState(state);
        generator.writeTransactions(transactions, 3_000);
        long startNanos = System.nanoTime();
        CommandRun reference = runToCompletion(inputs.resolve("reference"));
        uninterruptedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        assertThat(reference.exitCode()).as(reference.stderr()).isZero();
        uninterrupted = reference.stdout();
    }

    private static ProcessBuilder batchProcess(Path dataDirectory, Path output) {
        String jar = System.getProperty("clearhouse.jar", "target/clearhouse.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        jar,
                        "batch",
                        "--initial-state",
                        state.toString(),
                        "--transactions",
                        transactions.toString(),
                        "--data-dir",
                        dataDirectory.toString())
                .redirectOutput(output.toFile())
                .redirectError(Path.of(output + ".err").toFile());
    }

    private static CommandRun runToCompletion(Path dataDirectory) throws Exception {
        Path output = Files.createTempFile(inputs, "out", ".json");
        Process process = batchProcess(dataDirectory, output).start();
        try {
            assertThat(process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .as("batch finished")
                    .isTrue();
            return new CommandRun(
                    process.exitValue(), Files.readString(output), Files.readString(Path.of(output + ".err")));
        } finally {
            process.destroyForcibly();
        }
    }

    /** Starts a run and kills it after {@code delayMillis}, unless it finished first; returns whether it was killed. */
    private static boolean runAndKill(Path dataDirectory, long delayMillis) throws Exception {
        Path output = Files.createTempFile(inputs, "killed", ".json");
        Process process = batchProcess(dataDirectory, output).start();
        try {
            // A deadline, not synchronisation: the kill is meant to land at an arbitrary instant.
            boolean finished = process.waitFor(delayMillis, TimeUnit.MILLISECONDS);
            process.destroyForcibly();
            assertThat(process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            return !finished;
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void printsTheUninterruptedOutputAfterRepeatedKills() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("BatchCrashIT seed " + seed + " (replay with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        int killsLanded = 0;
        for (int round = 0; round < DIRECTORIES; round++) {
            Path dataDirectory = inputs.resolve("data-" + round);
            List<Long> delays = new ArrayList<>();
            for (int kill = 0; kill < KILLS_PER_DIRECTORY; kill++) {
                // Within the time a whole run takes, so that kills land while it works however fast the engine is;
                // fixed bounds let a faster batch finish before every kill of a seed.
                long delayMillis = 50 + random.nextInt((int) Math.max(1, uninterruptedMillis - 50));
                delays.add(delayMillis);
                if (runAndKill(dataDirectory, delayMillis)) {
                    killsLanded++;
                }
            }
            String context = "seed " + seed + ", directory " + round + ", kills after " + delays + " ms";
            CommandRun restarted = runToCompletion(dataDirectory);
            assertThat(restarted.exitCode())
                    .as(context + ": " + restarted.stderr())
                    .isZero();
            assertThat(restarted.stdout()).as(context).isEqualTo(uninterrupted);
            CommandRun again = runToCompletion(dataDirectory);
            assertThat(again.stdout())
                    .as(context + ", run on the finished directory")
                    .isEqualTo(uninterrupted);
            assertMoneyConserved(again.stdout());
            assertNoBranchLeftPrepared(dataDirectory, again.stdout());
        }
        assertThat(killsLanded)
                .as("kills that landed before the batch finished")
                .isPositive();
    }

    private static void assertMoneyConserved(String output) throws IOException {
        assertThat(total(JSON.readTree(output).get("final_state"))).isEqualTo(total(JSON.readTree(state.toFile())));
    }

    /** Reopens the banks' write-ahead log: nothing may be held prepared, and balances must match the output. */
    private static void assertNoBranchLeftPrepared(Path dataDirectory, String output) throws Exception {
        DataDirectory directory = DataDirectory.bind(dataDirectory, state, InitialStateReader.ROLE, transactions);
        JsonNode finalState = JSON.readTree(output).get("final_state");
        try (MemoryBankGroup group = MemoryBankGroup.open(directory.banksDirectory(), true)) {
            for (var bank : InitialStateReader.read(state).banks().entrySet()) {
                MemoryBankAdapter adapter = group.bank(bank.getKey(), bank.getValue());
                assertThat(adapter.recover()).as("bank %s", bank.getKey()).isEmpty();
                adapter.postedBalances().forEach((account, balance) -> assertThat(balance)
                        .isEqualTo(finalState.get(bank.getKey()).get(account).asLong()));
            }
        }
    }

    private static long total(JsonNode banks) {
        long total = 0;
        for (JsonNode bank : banks) {
            for (JsonNode balance : bank) {
                total = Math.addExact(total, balance.asLong());
            }
        }
        return total;
    }
}
