package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** A batch command line read without picocli means exactly what picocli reads in it, or is left to picocli. */
class PlainBatchArgumentsTest {
    /** What picocli makes of a command line that starts with {@code batch}. */
    private sealed interface PicocliReading {}

    private record Request(BatchRequest request) implements PicocliReading {}

    /** Help or version asked for, or a command line picocli refuses: either way no batch runs. */
    private record NoBatch(String why) implements PicocliReading {}

    private static PicocliReading picocli(String... args) {
        BatchCommand command = new BatchCommand();
        CommandLine tree = new CommandLine(new ClearhouseCommand.BatchOnly()).addSubcommand(command);
        try {
            CommandLine.ParseResult parsed = tree.parseArgs(args);
            if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
                return new NoBatch("help");
            }
            CommandLine.ParseResult batch = parsed.subcommand();
            if (batch == null || batch.isUsageHelpRequested() || batch.isVersionHelpRequested()) {
                return new NoBatch("help or no subcommand");
            }
            return new Request(command.request());
        } catch (CommandLine.ParameterException e) {
            return new NoBatch(e.getMessage());
        }
    }

    @Test
    void readsThePlainFormsAsPicocliDoes() {
        List<String[]> plain = List.of(
                new String[] {"batch", "--initial-state", "s.json", "--transactions", "t.csv"},
                new String[] {"batch", "--transactions=t.csv", "--initial-state=s.json", "--stats"},
                new String[] {"batch", "--banks-file", "b.json", "--transactions", "t.csv", "--data-dir", "d"},
                new String[] {
                    "batch",
                    "--stats",
                    "--log-retention-hours",
                    "007",
                    "--data-dir=d=e",
                    "--banks-file",
                    "b b.json",
                    "--transactions",
                    "dir/t.csv"
                });
        for (String[] args : plain) {
            BatchRequest read = PlainBatchArguments.read(args);
            assertThat(read).as(String.join(" ", args)).isNotNull();
            assertThat(picocli(args)).as(String.join(" ", args)).isEqualTo(new Request(read));
        }
        assertThat(PlainBatchArguments.read(plain.get(3)))
                .isEqualTo(new BatchRequest(null, Path.of("b b.json"), Path.of("dir/t.csv"), Path.of("d=e"), 7, true));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "batch",
                "batch --help",
                "batch -h --initial-state s --transactions t",
                "batch --version --initial-state s --transactions t",
                "batch -V",
                "serve --initial-state s --transactions t",
                "batch --initial-state s",
                "batch --transactions t",
                "batch --initial-state s --banks-file b --transactions t",
                "batch --initial-state s --transactions t --transactions u",
                "batch --initial-state s --transactions t --stats --stats",
                "batch --initial-state s --transactions t --stats=true",
                "batch --initial-state s --transactions t --log-retention-hours -1",
                "batch --initial-state s --transactions t --log-retention-hours 1e3",
                "batch --initial-state s --transactions t --log-retention-hours 99999999999999999999",
                "batch --initial-state s --transactions t --log-retention-hours 1 --log-retention-hours 1",
                "batch --initial-state s --transactions @args.txt",
                "batch @args.txt",
                "batch --initial-state s --transactions --stats",
                "batch --initial-state s --transactions -",
                "batch --initial-state s --transactions= ",
                "batch --initial-state s --transactions t extra",
                "batch --initial-state s --transactions t --",
                "batch --initial-state s --transactions t --data-dir",
                "batch --initial-state s --transactions t --unknown x",
                "batch --initial-state s --transactions 'quoted'",
                "batch --Initial-state s --transactions t",
            })
    void leavesEverythingElseToPicocli(String commandLine) {
        String[] args = commandLine.isEmpty() ? new String[0] : commandLine.split(" ", -1);
        assertThat(PlainBatchArguments.read(args)).isNull();
    }

    /**
     * Command lines made at random from the options, their values and the mistakes above: whatever is read without
     * picocli must be what picocli reads, and enough must be read for that to mean something.
     */
    @Test
    void randomCommandLinesReadWithoutPicocliMeanWhatPicocliReads() {
        String[] options = {
            "--initial-state", "--banks-file", "--transactions", "--data-dir", "--log-retention-hours", "--stats", "-h",
            "--help", "-V", "--", "--unknown", "--initial-state=s.json", "--transactions=t.csv", "--stats=false",
            "--log-retention-hours=12", "--data-dir=", "x"
        };
        String[] values = {"s.json", "t.csv", "d", "12", "0", "-1", "@f", "", "a=b", "\"q\"", "--stats", "7 7", "é.csv"
        };
        Random random = new Random(17);
        int readPlainly = 0;
        for (int round = 0; round < 20_000; round++) {
            List<String> args = new ArrayList<>(List.of("batch"));
            if (random.nextInt(3) > 0) {
                args.addAll(List.of("--transactions", "t.csv"));
            }
            if (random.nextInt(3) > 0) {
                args.addAll(List.of(random.nextBoolean() ? "--initial-state" : "--banks-file", "b.json"));
            }
            int extra = random.nextInt(4);
            for (int i = 0; i < extra; i++) {
                args.add(random.nextInt(args.size()), options[random.nextInt(options.length)]);
                if (random.nextBoolean()) {
                    args.add(random.nextInt(args.size() - 1) + 1, values[random.nextInt(values.length)]);
                }
            }
            args.set(0, "batch");
            String[] line = args.toArray(String[]::new);
            BatchRequest read = PlainBatchArguments.read(line);
            if (read != null) {
                readPlainly++;
                assertThat(picocli(line)).as(String.join(" ", line)).isEqualTo(new Request(read));
            }
        }
        assertThat(readPlainly).isGreaterThan(2_000);
    }
}
