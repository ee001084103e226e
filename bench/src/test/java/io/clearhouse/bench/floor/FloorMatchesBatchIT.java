package io.clearhouse.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.bench.BatchInputGenerator;
import io.clearhouse.bench.GeneratedInput;
import io.clearhouse.bench.GeneratorSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The floor prints byte for byte what {@code clearhouse batch} prints, on generated files and on hand-written ones
 * that break every rule of docs/batch.md. Both run as processes of their own from this test's class path: the
 * command through its real {@code Main}, the floor through {@link FloorBatch}.
 */
class FloorMatchesBatchIT {
    private static final long TIMEOUT_SECONDS = 120;
    private static final String STATE = """
            {"1": {"alice": 100, "bob": 50, "caf\\u00e9": 7, "rich": 9223372036854775800},
             "b\\"2\\\\": {"carol": 0, "tab\\tbed": 5, "\\u001Fodd": 1, "\\ud83d\\ude00": 3},
             "empty": {},
             "3": {"dave": 9223372036854775807, "eve\\u00a0": 10}}
            """;

    @TempDir
    Path directory;

    @Test
    void printsTheCommandsOutputForGeneratedFiles() throws Exception {
        GeneratedInput input = BatchInputGenerator.generate(
                new GeneratorSettings(50, 4, 2_000, 1_000, 500, 20, 0, 0, 7), directory.resolve("generated"));

        assertSameOutput(input.state(), input.transactions());
    }

    @Test
    void printsTheCommandsOutputForEveryKindOfRefusedLine() throws Exception {
        Path state = write("state.json", STATE.getBytes(StandardCharsets.UTF_8));
        Path transactions = write("transactions.csv", everyRule());

        String output = new String(assertSameOutput(state, transactions), StandardCharsets.UTF_8);
        for (Outcome outcome : Outcome.values()) {
            assertThat(output)
                    .as("the file yields %s", outcome)
                    .contains(new String(outcome.resultEnd(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void printsTheCommandsOutputForFilesWithoutTransactions() throws Exception {
        Path state = write("state.json", STATE.getBytes(StandardCharsets.UTF_8));

        assertSameOutput(state, write("empty.csv", new byte[0]));
        assertSameOutput(state, write("blank.csv", bytes("\uFEFF  \r\n\t\n\u3000\r")));
        assertSameOutput(state, write("header.csv", bytes("\uFEFF\n  " + LineRules.HEADER + " \r\n")));
    }

    @Test
    void refusesAMissingFileWithExitCodeTwoAndNothingOnStandardOutput() throws Exception {
        Path state = write("state.json", STATE.getBytes(StandardCharsets.UTF_8));

        Run floor = run(FloorBatch.class.getName(), state, directory.resolve("missing.csv"));

        assertThat(floor.exitCode()).isEqualTo(2);
        assertThat(floor.standardOutput()).isEmpty();
        assertThat(floor.standardError()).contains("missing.csv");
    }

    /** Lines that break each rule, in every way we know of, between lines that pass: the physical lines count too. */
    private static byte[] everyRule() throws IOException {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.write(bytes("\uFEFF\n" + LineRules.HEADER + "\r\n"));
        csv.write(bytes(String.join(
                "\n",
                "t1,alice,bob,10",
                " t2 , bob , alice , 5 ",
                "t3,alice,bob",
                "t4,alice,bob,1,2",
                ",alice,bob,1",
                "   ,alice,bob,1",
                "t5,,bob,1",
                "t6,alice, ,1",
                "t7,alice\u0001,bob,1",
                "t8\u0085,alice,bob,1",
                "t\t9,alice,bob,1",
                "x".repeat(LineRules.ID_LENGTH_MAX + 1) + ",alice,bob,1",
                "x".repeat(LineRules.ID_LENGTH_MAX) + ",alice,bob,1",
                "t1,alice,bob,1",
                "t3,alice,bob,1",
                "t4,alice,bob,1",
                "t10,alice,bob,0",
                "t11,alice,bob,-5",
                "t12,alice,bob,-0",
                "t13,alice,bob,+5",
                "t14,alice,bob,1.5",
                "t15,alice,bob,",
                "t16,alice,bob,9223372036854775808",
                "t17,alice,bob,99999999999999999999x",
                "t18,alice,bob,0007",
                "t19,alice, alice ,1",
                "t20,nobody,bob,1",
                "t21,alice,nobody,1",
                "t22,carol,alice,1",
                "t23,alice,dave,1",
                "t24,rich,dave,9223372036854775807",
                "t25,rich,carol,9223372036854775800",
                "t26,carol,rich,1",
                "\"quoted\\id\",caf\u00e9,\uD83D\uDE00,2",
                "\u3000t27\u3000,alice,bob,1\u2003",
                "t28,eve\u00a0,bob,1",
                "t29,eve,bob,1",
                "transaction_id,source_account,destination_account,amount",
                "t30,b\"2\\,bob,1",
                "t31,tab\tbed,alice,2",
                "t32,\u0001odd,alice,1")));
        csv.write(bytes("\r\n\r\n   \rt33,alice,bob,1\rt34,"));
        csv.write(new byte[] {(byte) 0xE9, ',', 'b', 'o', 'b', ',', '1', '\n'});
        csv.write(bytes("t35"));
        csv.write(new byte[] {(byte) 0xE2, (byte) 0x82, ',', 'a', 'l', 'i', 'c', 'e', ',', 'b', 'o', 'b', ',', '1'});
        csv.write(new byte[] {'\n', 't', '3', '6', (byte) 0xF0, (byte) 0x9F, '\n', (byte) 0xC3, '\r', '\n'});
        csv.write(bytes("t37,alice,bob,1"));
        return csv.toByteArray();
    }

    /** The command's output, once the floor's is found equal. */
    private byte[] assertSameOutput(Path state, Path transactions) throws Exception {
        Run command = run("io.clearhouse.cli.Main", state, transactions);
        Run floor = run(FloorBatch.class.getName(), state, transactions);

        assertThat(command.exitCode())
                .as("the command's exit code; stderr: %s", command.standardError())
                .isZero();
        assertThat(floor.exitCode())
                .as("the floor's exit code; stderr: %s", floor.standardError())
                .isZero();
        int mismatch = Arrays.mismatch(command.standardOutput(), floor.standardOutput());
        assertThat(mismatch)
                .as(
                        "first differing byte: command %s, floor %s",
                        around(command.standardOutput(), mismatch), around(floor.standardOutput(), mismatch))
                .isEqualTo(-1);
        return command.standardOutput();
    }

    private Run run(String mainClass, Path state, Path transactions) throws Exception {
        List<String> commandLine = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
        if (mainClass.endsWith(".Main")) {
            commandLine.add("batch");
        }
        commandLine.addAll(List.of("--initial-state", state.toString(), "--transactions", transactions.toString()));
        String name = mainClass.substring(mainClass.lastIndexOf('.') + 1) + "-" + transactions.getFileName();
        Path out = directory.resolve(name + ".out");
        Path err = directory.resolve(name + ".err");
        Process process = new ProcessBuilder(commandLine)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(mainClass + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return new Run(process.exitValue(), Files.readAllBytes(out), Files.readString(err));
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(directory.resolve(name), content);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String around(byte[] output, int index) {
        int from = Math.max(0, index - 80);
        int to = Math.min(output.length, index + 80);
        return index < 0 || from >= to ? "(end)" : new String(output, from, to - from, StandardCharsets.UTF_8);
    }

    private record Run(int exitCode, byte[] standardOutput, String standardError) {}
}
