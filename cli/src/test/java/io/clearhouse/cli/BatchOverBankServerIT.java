package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.bankserver.BankServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batch --banks-file} against remote banks held by a real bank-server process: the same output as the same batch
 * on in-memory banks, few messages per transfer, and the bank server's forced writes counted in the statistics.
 */
class BatchOverBankServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE =
            "{\"1\":{\"a\":100,\"b\":0},\"2\":{\"c\":50,\"d\":7},\"3\":{\"e\":9223372036854775800}}";

    @TempDir
    Path directory;

    @Test
    void printsWhatTheSameBatchPrintsInMemoryAndCountsTheServersForcedWrites() throws IOException {
        Path state = Files.writeString(directory.resolve("state.json"), STATE);
        StringBuilder lines = new StringBuilder();
        for (int n = 0; n < 200; n++) {
            lines.append("t")
                    .append(n)
                    .append(n % 2 == 0 ? ",a,c," : ",c,b,")
                    .append(1 + n % 7)
                    .append('\n');
        }
        lines.append("x1,d,e,10\nx2,zz,a,1\nt0,a,c,1\n");
        Path transactions = Files.writeString(directory.resolve("tx.csv"), lines.toString());
        CommandRun inMemory =
                CommandRun.of("batch", "--initial-state", state.toString(), "--transactions", transactions.toString());

        try (BankServerProcess server = BankServerProcess.start(state, directory.resolve("bank-server"))) {
            String url = server.url().toString();
            Path banksFile = Files.writeString(
                    directory.resolve("banks.json"),
                    "{\"banks\":[" + remote("1", url) + "," + remote("2", url) + "," + remote("3", url) + "]}");
            CommandRun remote = CommandRun.of(
                    "batch",
                    "--banks-file",
                    banksFile.toString(),
                    "--transactions",
                    transactions.toString(),
                    "--stats");

            assertThat(remote.exitCode()).as(remote.stderr()).isZero();
            assertThat(remote.stdout()).isEqualTo(inMemory.stdout());
            String[] errorLines = remote.stderr().strip().split("\n");
            JsonNode figures = JSON.readTree(errorLines[errorLines.length - 1]);
            assertThat(figures.get("lines").asLong()).isEqualTo(203);
            // Without --data-dir the decision log is in memory: every forced write counted is the bank server's.
            assertThat(figures.get("forced_writes_per_transfer").asDouble()).isPositive();
            assertThat(figures.get("messages_per_transfer").asDouble())
                    .isPositive()
                    .isLessThanOrEqualTo(4.0);
        }
    }

    private static String remote(String bankId, String url) {
        return "{\"id\":\"" + bankId + "\",\"type\":\"remote\",\"settings\":{\"url\":\"" + url + "\"}}";
    }
}
