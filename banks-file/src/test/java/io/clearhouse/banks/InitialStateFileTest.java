package io.clearhouse.banks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InitialStateFileTest {
    @TempDir
    Path directory;

    @Test
    void readsBanksAndAccountsInFileOrder() throws Exception {
        Path file = write("{\"2\": {\"bob\": 5, \"alice\": 9223372036854775807}, \"1\": {}}");

        Map<String, Map<String, Long>> banks = InitialStateFile.read(file);

        assertThat(banks.keySet()).containsExactly("2", "1");
        assertThat(banks.get("2")).containsExactly(Map.entry("bob", 5L), Map.entry("alice", Long.MAX_VALUE));
        assertThat(banks.get("1")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty file            |                                  | invalid JSON: the file holds no JSON value
            truncated             | {"1":{"a":1}                     | (line 1, column 13)
            top level is an array | [{"a":1}]                        | the top level is not an object
            bank is a number      | {"1":7}                          | bank "1" is not an object
            negative balance      | {"1":{"a":-1}}                   | "a" of bank "1" has a negative balance: -1
            fractional balance    | {"1":{"a":1.5}}                  | has a balance that is not an integer: 1.5
            above 2^63-1          | {"1":{"a":9223372036854775808}}  | has a balance above 2^63-1
            huge negative         | {"1":{"a":-9223372036854775809}} | has a balance negative
            account in two banks  | {"1":{"a":1},"2":{"a":2}}        | account "a" is in two banks, "1" and "2"
            duplicate account     | {"1":{"a":1,"a":2}}              | Duplicate field 'a'
            content after it      | {"1":{"a":1}} {}                 | content follows the top-level object
            """)
    void refusesAFileThatBreaksARuleInOneLineNamingTheFile(String name, String content, String problem)
            throws IOException {
        Path file = write(content == null ? "" : content);

        assertThatThrownBy(() -> InitialStateFile.read(file))
                .isInstanceOf(InitialStateFile.UnusableException.class)
                .hasMessageStartingWith("initial state " + file + ": ")
                .hasMessageContaining(problem)
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("Source:")
                .satisfies(e -> assertThat(((InitialStateFile.UnusableException) e).problem())
                        .doesNotContain(file.toString()));
    }

    @Test
    void refusesAMissingFileNamingIt() {
        Path missing = directory.resolve("absent.json");

        assertThatThrownBy(() -> InitialStateFile.read(missing))
                .isInstanceOf(InitialStateFile.UnusableException.class)
                .hasMessageStartingWith("initial state " + missing + ": cannot be read: ")
                .hasMessageContaining("NoSuchFileException");
    }

    private Path write(String json) throws IOException {
        Path file = Files.createTempFile(directory, "state", ".json");
        Files.writeString(file, json);
        return file;
    }
}
