package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every unusable input ends with exit code 2, one line on standard error naming the file, and nothing on stdout. */
class BatchInputValidationTest {
    @TempDir
    Path directory;

    private Path transactions() throws IOException {
        return Files.writeString(directory.resolve("tx.csv"), "t1,a,b,1\n");
    }

    private static void assertRefused(CommandRun run, Path file, String problem) {
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).endsWith("\n").doesNotContain("\tat ");
        assertThat(run.stderr().strip())
                .doesNotContain("\n")
                .contains(file.toString())
                .contains(problem);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty file                |                                        | invalid JSON
            not JSON                  | hello                                  | invalid JSON
            truncated                 | {"1":{"a":1}                           | invalid JSON
            top level is an array     | [{"a":1}]                              | top level is not an object
            top level is a number     | 5                                      | top level is not an object
            bank is not an object     | {"1":[1,2]}                            | bank "1" is not an object
            bank is a number          | {"1":7}                                | bank "1" is not an object
            negative balance          | {"1":{"a":-1}}                         | negative balance
            fractional balance        | {"1":{"a":1.5}}                        | not an integer
            balance written as float  | {"1":{"a":1.0}}                        | not an integer
            exponent balance          | {"1":{"a":1e3}}                        | not an integer
            string balance            | {"1":{"a":"10"}}                       | not an integer
            null balance              | {"1":{"a":null}}                       | not an integer
            balance above 2^63-1      | {"1":{"a":9223372036854775808}}        | above 2^63-1
            huge negative balance     | {"1":{"a":-9223372036854775809}}       | negative
            account in two banks      | {"1":{"a":1},"2":{"b":1,"a":2}}        | account "a" is in two banks
            duplicate bank            | {"1":{"a":1},"1":{"b":1}}              | Duplicate field '1'
            duplicate account         | {"1":{"a":1,"a":2}}                    | Duplicate field 'a'
            content after the object  | {"1":{"a":1}} {}                       | content follows the top-level object
            """)
    void refusesAnInitialStateThatCannotBeUsed(String name, String content, String problem) throws IOException {
        Path state = Files.writeString(directory.resolve("state.json"), content == null ? "" : content);

        CommandRun run = CommandRun.of(
                "batch",
                "--initial-state",
                state.toString(),
                "--transactions",
                transactions().toString());

        assertRefused(run, state, problem);
    }

    @Test
    void refusesAMissingInitialState() throws IOException {
        Path missing = directory.resolve("absent.json");

        assertRefused(
                CommandRun.of(
                        "batch",
                        "--initial-state",
                        missing.toString(),
                        "--transactions",
                        transactions().toString()),
                missing,
                "no such file");
    }

    @Test
    void refusesADirectoryAsInitialState() throws IOException {
        assertRefused(
                CommandRun.of(
                        "batch",
                        "--initial-state",
                        directory.toString(),
                        "--transactions",
                        transactions().toString()),
                directory,
                "is a directory");
    }

    @Test
    void refusesAMissingTransactionsFile() throws IOException {
        Path state = Files.writeString(directory.resolve("state.json"), "{\"1\":{\"a\":1}}");
        Path missing = directory.resolve("absent.csv");

        assertRefused(
                CommandRun.of("batch", "--initial-state", state.toString(), "--transactions", missing.toString()),
                missing,
                "no such file");
    }

    @Test
    void refusesADirectoryAsTransactionsFile() throws IOException {
        Path state = Files.writeString(directory.resolve("state.json"), "{\"1\":{\"a\":1}}");

        assertRefused(
                CommandRun.of("batch", "--initial-state", state.toString(), "--transactions", directory.toString()),
                directory,
                "is a directory");
    }

    @Test
    void refusesAnUnknownOption() throws IOException {
        Path state = Files.writeString(directory.resolve("state.json"), "{\"1\":{\"a\":1}}");
        CommandRun run = CommandRun.of(
                "batch",
                "--initial-state",
                state.toString(),
                "--transactions",
                transactions().toString(),
                "--bogus");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().lines()).singleElement().asString().contains("--bogus");
    }

    @Test
    void refusesAMissingRequiredOption() throws IOException {
        CommandRun run = CommandRun.of("batch", "--transactions", transactions().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().lines()).singleElement().asString().contains("--initial-state");
    }
}
