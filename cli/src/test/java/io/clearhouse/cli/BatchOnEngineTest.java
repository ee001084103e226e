package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Reason;
import io.clearhouse.api.Status;
import io.clearhouse.api.batch.BatchFileParser;
import io.clearhouse.api.batch.BatchLine;
import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.core.batch.BatchExecution;
import io.clearhouse.core.batch.BatchOptions;
import io.clearhouse.core.batch.BatchResults;
import io.clearhouse.core.batch.LineResult;
import io.clearhouse.core.batch.SerialModel;
import io.clearhouse.core.engine.CoordinatorOptions;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.FileDecisionLog;
import io.clearhouse.core.log.InMemoryDecisionLog;
import io.clearhouse.journal.JournalOptions;
import io.clearhouse.spi.BankAdapter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Serial equivalence for real: random batches through the scheduler, the embedded coordinator and memory banks,
 * compared with a plain serial model computed here. The batches are built to conflict: a few hot accounts make long
 * queues, small balances run out, balances near 2^63-1 overflow, and some lines name unknown accounts.
 */
class BatchOnEngineTest {
    @TempDir
    Path directory;

    private static final class RandomInput {
        final Map<String, Map<String, Long>> banks = new LinkedHashMap<>();
        final List<BatchLine> lines;

        RandomInput(long seed, int bankCount, int accountsPerBank, int lineCount) throws IOException {
            Random random = new Random(seed);
            List<String> accounts = new ArrayList<>();
            for (int bank = 1; bank <= bankCount; bank++) {
                Map<String, Long> balances = new LinkedHashMap<>();
                for (int index = 0; index < accountsPerBank; index++) {
                    String account = "b" + bank + "x" + index;
                    boolean nearMax = random.nextInt(8) == 0;
                    balances.put(account, nearMax ? Long.MAX_VALUE - random.nextInt(300) : random.nextInt(300));
                    accounts.add(account);
                }
                banks.put(String.valueOf(bank), balances);
            }
            StringBuilder csv = new StringBuilder();
            for (int line = 0; line < lineCount; line++) {
                String from = pick(random, accounts);
                String to = random.nextInt(40) == 0 ? "ghost" : pick(random, accounts);
                String id = random.nextInt(200) == 0 ? "dup" : "t" + line;
                csv.append(id).append(',').append(from).append(',').append(to).append(',');
                csv.append(random.nextInt(100) == 0 ? "-3" : String.valueOf(1 + random.nextInt(150)))
                        .append('\n');
            }
            lines = BatchFileParser.parse(new BufferedReader(new StringReader(csv.toString())));
        }

        private static String pick(Random random, List<String> accounts) {
            int bound = random.nextInt(4) == 0 ? 3 : accounts.size();
            return accounts.get(random.nextInt(bound));
        }
    }

    /** Every account of the input with its opening balance, for the serial model. */
    private static Map<String, Long> openingBalances(RandomInput input) {
        Map<String, Long> balances = new HashMap<>();
        input.banks.values().forEach(balances::putAll);
        return balances;
    }

    private static List<LineResult> listed(BatchResults results) {
        List<LineResult> list = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            list.add(results.result(i));
        }
        return list;
    }

    private static Map<String, Long> posted(Map<String, BankAdapter> banks) {
        Map<String, Long> balances = new HashMap<>();
        banks.values().forEach(bank -> balances.putAll(bank.postedBalances()));
        return balances;
    }

    private static BatchResults run(RandomInput input, Map<String, BankAdapter> banks, DecisionLog log) {
        try (EmbeddedCoordinator coordinator = EmbeddedCoordinator.open(CoordinatorOptions.defaults(), banks, log)) {
            return new BatchExecution(input.lines, coordinator, new BatchOptions(2, 256)).run();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void matchesSerialExecutionWithInMemoryBanks(long seed) throws IOException {
        RandomInput input = new RandomInput(seed, 4, 6, 3_000);
        Map<String, BankAdapter> banks = new LinkedHashMap<>();
        input.banks.forEach((id, balances) -> banks.put(id, MemoryBankAdapter.inMemory(id, balances)));
        SerialModel serial = new SerialModel(openingBalances(input));
        List<LineResult> expected = serial.run(input.lines);

        BatchResults results = run(input, banks, InMemoryDecisionLog.discarding());

        assertThat(listed(results)).as("seed %d", seed).isEqualTo(expected);
        assertThat(posted(banks)).as("seed %d", seed).isEqualTo(serial.balances());
        banks.values().forEach(BankAdapter::close);
    }

    @Test
    void matchesSerialExecutionWithDurableBanksAndAgainOnTheSameState() throws IOException {
        RandomInput input = new RandomInput(21, 3, 5, 1_500);
        SerialModel serial = new SerialModel(openingBalances(input));
        List<LineResult> expected = serial.run(input.lines);
        Map<String, Long> expectedBalances = serial.balances();

        for (int attempt = 1; attempt <= 2; attempt++) {
            Map<String, BankAdapter> banks = new LinkedHashMap<>();
            input.banks.forEach((id, balances) ->
                    banks.put(id, MemoryBankAdapter.durable(id, balances, directory.resolve(id), true)));
            DecisionLog log = FileDecisionLog.open(directory.resolve("decisions.log"), JournalOptions.defaults());

            BatchResults results = run(input, banks, log);

            assertThat(listed(results)).as("run %d", attempt).isEqualTo(expected);
            assertThat(posted(banks)).as("run %d", attempt).isEqualTo(expectedBalances);
            banks.values().forEach(bank -> assertThat(bank.recover()).isEmpty());
            banks.values().forEach(BankAdapter::close);
        }
    }

    @Test
    void linesWithIdsNoLogCanStoreReachNeitherTheDecisionLogNorABank() throws IOException {
        String longId = "x".repeat(100_000);
        String longAccount = "a".repeat(16_385);
        String csv = "t1,a,b,10\n" + longId + ",a,b,10\nt3," + longAccount + ",b,10\nt4,a," + longAccount
                + ",10\nt5,b,a,3\n";
        List<BatchLine> lines = BatchFileParser.parse(new BufferedReader(new StringReader(csv)));
        Map<String, BankAdapter> banks = new LinkedHashMap<>();
        banks.put("1", MemoryBankAdapter.inMemory("1", Map.of("a", 100L)));
        banks.put("2", MemoryBankAdapter.inMemory("2", Map.of("b", 0L)));
        Path logFile = directory.resolve("decisions.log");

        BatchResults results;
        try (EmbeddedCoordinator coordinator = EmbeddedCoordinator.open(
                CoordinatorOptions.defaults(), banks, FileDecisionLog.open(logFile, JournalOptions.defaults()))) {
            results = new BatchExecution(lines, coordinator, new BatchOptions(2, 256)).run();
        }

        assertThat(listed(results))
                .containsExactly(
                        new LineResult(1, "t1", Status.COMMITTED, null),
                        new LineResult(2, longId, Status.ABORTED, Reason.INVALID_FORMAT),
                        new LineResult(3, "t3", Status.ABORTED, Reason.INVALID_FORMAT),
                        new LineResult(4, "t4", Status.ABORTED, Reason.INVALID_FORMAT),
                        new LineResult(5, "t5", Status.COMMITTED, null));
        assertThat(posted(banks)).isEqualTo(Map.of("a", 93L, "b", 7L));
        try (DecisionLog log = FileDecisionLog.open(logFile, JournalOptions.defaults())) {
            assertThat(log.outcomeOf("t1")).isPresent();
            assertThat(log.outcomeOf("t5")).isPresent();
            assertThat(log.outcomeOf("t3")).isEmpty();
            assertThat(log.outcomeOf("t4")).isEmpty();
        }
        banks.values().forEach(BankAdapter::close);
    }
}
