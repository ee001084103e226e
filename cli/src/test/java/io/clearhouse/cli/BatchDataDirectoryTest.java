package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.bank.memory.MemoryBankGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --data-dir}: the same output on every run of one batch, and a directory bound to its inputs. */
class BatchDataDirectoryTest {
    private static final String STATE = "{\"1\":{\"a\":100,\"b\":5},\"2\":{\"c\":0}}";
    private static final String TRANSACTIONS = "t1,a,c,60\nt2,a,b,60\nt3,c,b,10\nt4,b,a,15\n";

    @TempDir
    Path directory;

    private CommandRun batch(String transactions, Path dataDirectory) throws IOException {
        Path state = Files.writeString(directory.resolve("state.json"), STATE);
        Path file = Files.writeString(directory.resolve("tx.csv"), transactions);
        return CommandRun.of(
                "batch",
                "--initial-state",
                state.toString(),
                "--transactions",
                file.toString(),
                "--data-dir",
                dataDirectory.toString());
    }

    @Test
    void printsTheSameOutputAsAnInMemoryRunAndAgainOnAFinishedDirectory() throws IOException {
        Path data = directory.resolve("data");
        Path state = Files.writeString(directory.resolve("state.json"), STATE);
        Path file = Files.writeString(directory.resolve("tx.csv"), TRANSACTIONS);
        CommandRun inMemory =
                CommandRun.of("batch", "--initial-state", state.toString(), "--transactions", file.toString());

        CommandRun first = batch(TRANSACTIONS, data);
        CommandRun second = batch(TRANSACTIONS, data);

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).isEqualTo(inMemory.stdout());
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stdout()).isEqualTo(first.stdout());
        assertThat(second.stdout()).contains("\"final_state\":{\"1\":{\"a\":55,\"b\":0},\"2\":{\"c\":50}}");
        assertThat(Files.isRegularFile(data.resolve("banks").resolve(MemoryBankGroup.FILE_NAME)))
                .isTrue();
    }

    @Test
    void refusesADirectoryUsedWithOtherTransactions() throws IOException {
        Path data = directory.resolve("data");
        assertThat(batch(TRANSACTIONS, data).exitCode()).isZero();

        CommandRun other = batch(TRANSACTIONS + "t5,a,b,1\n", data);

        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.stdout()).isEmpty();
        assertThat(other.stderr().strip())
                .doesNotContain("\n")
                .contains(data.toString())
                .contains("another transactions file");
    }

    @Test
    void refusesANonEmptyDirectoryThatBelongsToNoBatch() throws IOException {
        Path data = Files.createDirectories(directory.resolve("data"));
        Files.writeString(data.resolve("notes.txt"), "mine");

        CommandRun run = batch(TRANSACTIONS, data);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("is not empty");
    }

    @Test
    void refusesADirectoryThatAnotherRunHolds() throws IOException, InputFileException {
        Path data = directory.resolve("data");
        Path state = Files.writeString(directory.resolve("state.json"), STATE);
        Path file = Files.writeString(directory.resolve("tx.csv"), TRANSACTIONS);

        CommandRun second;
        try (DataDirectory first = DataDirectory.bind(data, state, InitialStateReader.ROLE, file)) {
            second = batch(TRANSACTIONS, data);
        }
        CommandRun afterwards = batch(TRANSACTIONS, data);

        assertThat(second.exitCode()).isEqualTo(2);
        assertThat(second.stdout()).isEmpty();
        assertThat(second.stderr().strip())
                .doesNotContain("\n")
                .contains(data.toString())
                .contains("in use by another batch run");
        assertThat(afterwards.exitCode()).as(afterwards.stderr()).isZero();
    }
}
