package io.clearhouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.api.batch.BatchFileParser;
import io.clearhouse.api.batch.BatchLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchInputGeneratorTest {
    private static final GeneratorSettings SETTINGS = new GeneratorSettings(50, 4, 2_000, 1_000, 500, 20, 0, 0, 7);

    @TempDir
    Path directory;

    @Test
    void writesTheSameBytesForTheSameSeed() throws IOException {
        GeneratedInput first = BatchInputGenerator.generate(SETTINGS, directory.resolve("first"));
        GeneratedInput second = BatchInputGenerator.generate(SETTINGS, directory.resolve("second"));

        assertThat(Files.mismatch(first.state(), second.state())).isEqualTo(-1);
        assertThat(Files.mismatch(first.transactions(), second.transactions())).isEqualTo(-1);
    }

    @Test
    void writesDifferentTransfersForAnotherSeed() throws IOException {
        GeneratorSettings otherSeed = new GeneratorSettings(50, 4, 2_000, 1_000, 500, 20, 0, 0, 8);
        GeneratedInput first = BatchInputGenerator.generate(SETTINGS, directory.resolve("first"));
        GeneratedInput second = BatchInputGenerator.generate(otherSeed, directory.resolve("second"));

        assertThat(Files.mismatch(first.transactions(), second.transactions())).isNotEqualTo(-1);
    }

    @Test
    void stateHoldsEveryBankAndAccountAndTheReportedTotal() throws IOException {
        GeneratedInput input = BatchInputGenerator.generate(SETTINGS, directory);

        Map<String, Map<String, Long>> state =
                new ObjectMapper().readValue(input.state().toFile(), new TypeReference<>() {});

        assertThat(state).hasSize(50).containsKeys("1", "50");
        assertThat(state.get("50")).containsOnlyKeys("50-0", "50-1", "50-2", "50-3");
        long total = state.values().stream()
                .flatMap(accounts -> accounts.values().stream())
                .mapToLong(Long::longValue)
                .sum();
        assertThat(total).isEqualTo(input.totalMoney());
    }

    @Test
    void everyLineParsesAndOnlyTheIntendedShareIsRefused() throws IOException {
        GeneratedInput input = BatchInputGenerator.generate(SETTINGS, directory);

        List<BatchLine> lines;
        try (BufferedReader reader = Files.newBufferedReader(input.transactions())) {
            lines = BatchFileParser.parse(reader);
        }

        assertThat(lines).hasSize(2_000);
        long refused =
                lines.stream().filter(BatchLine.Refused.class::isInstance).count();
        // 20 per mille of 2,000 lines is 40 on average; a fifth of the refusals (unknown account) parse as transfers.
        assertThat(refused).isBetween(15L, 60L);
        assertThat(lines.get(0).lineNumber()).isEqualTo(2);
    }

    @Test
    void hotAccountsTakeTheirShareOfTransfers() throws IOException {
        GeneratorSettings hot = new GeneratorSettings(50, 4, 2_000, 1_000, 500, 0, 2, 300, 7);
        GeneratedInput input = BatchInputGenerator.generate(hot, directory);

        List<BatchLine> lines;
        try (BufferedReader reader = Files.newBufferedReader(input.transactions())) {
            lines = BatchFileParser.parse(reader);
        }

        // The two hot accounts are the first of banks 1 and 26; uniformly, 2,000 transfers would touch them ~40 times.
        long touchingHot = lines.stream()
                .map(BatchLine.Transfer.class::cast)
                .filter(transfer -> Set.of("1-0", "26-0").contains(transfer.from())
                        || Set.of("1-0", "26-0").contains(transfer.to()))
                .count();
        assertThat(touchingHot).isBetween(500L, 700L);
    }

    @Test
    void hotTransfersNeedHotAccounts() {
        assertThatThrownBy(() -> new GeneratorSettings(50, 4, 2_000, 1_000, 500, 0, 0, 300, 7))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
