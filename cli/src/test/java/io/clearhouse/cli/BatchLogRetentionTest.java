package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --log-retention-hours}: a re-run on a data directory answers the ids of a run within the retention with
 * their first outcome, and takes them as new once the decision log's segments of that run are older than it. The
 * segments are made old by setting their last-modified time, which is the age the log reads, instead of waiting.
 */
class BatchLogRetentionTest {
    private static final String STATE = "{\"1\":{\"a\":100,\"b\":5},\"2\":{\"c\":0}}";
    private static final String TRANSACTIONS = "t1,a,c,60\nt2,a,b,60\nt3,c,b,10\nt4,b,a,15\n";
    private static final String FIRST_OUTPUT = "{\"results\":[{\"line\":1,\"transaction_id\":\"t1\",\"status\":"
            + "\"committed\"},{\"line\":2,\"transaction_id\":\"t2\",\"status\":\"aborted\",\"reason\":"
            + "\"INSUFFICIENT_FUNDS\"},{\"line\":3,\"transaction_id\":\"t3\",\"status\":\"committed\"},{\"line\":4,"
            + "\"transaction_id\":\"t4\",\"status\":\"committed\"}],\"final_state\":{\"1\":{\"a\":55,\"b\":0},"
            + "\"2\":{\"c\":50}}}";
    /** The same lines run again as new transactions, on the balances the first run left. */
    private static final String RUN_AGAIN_OUTPUT = "{\"results\":[{\"line\":1,\"transaction_id\":\"t1\",\"status\":"
            + "\"aborted\",\"reason\":\"INSUFFICIENT_FUNDS\"},{\"line\":2,\"transaction_id\":\"t2\",\"status\":"
            + "\"aborted\",\"reason\":\"INSUFFICIENT_FUNDS\"},{\"line\":3,\"transaction_id\":\"t3\",\"status\":"
            + "\"committed\"},{\"line\":4,\"transaction_id\":\"t4\",\"status\":\"aborted\",\"reason\":"
            + "\"INSUFFICIENT_FUNDS\"}],\"final_state\":{\"1\":{\"a\":55,\"b\":10},\"2\":{\"c\":40}}}";

    @TempDir
    Path directory;

    private CommandRun batch(Path dataDirectory, String... options) throws IOException {
        Path state = Files.writeString(directory.resolve("state.json"), STATE);
        Path file = Files.writeString(directory.resolve("tx.csv"), TRANSACTIONS);
        List<String> args = new ArrayList<>(List.of(
                "batch",
                "--initial-state",
                state.toString(),
                "--transactions",
                file.toString(),
                "--data-dir",
                dataDirectory.toString()));
        args.addAll(List.of(options));
        return CommandRun.of(args.toArray(String[]::new));
    }

    @Test
    void keepsEveryRunByDefaultHoweverOld() throws IOException {
        Path data = directory.resolve("data");
        CommandRun first = batch(data);
        makeDecisionLogOld(data, Duration.ofDays(3650));

        CommandRun second = batch(data);

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stdout()).isEqualTo(first.stdout());
        assertThat(data.resolve("decisions.log"))
                .as("the one segment, appended to")
                .exists();
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .as("no second segment without a retention")
                    .noneMatch(name -> name.startsWith("decisions.log.0"));
        }
    }

    @Test
    void takesTheIdsOfARunOlderThanTheRetentionAsNew() throws IOException {
        Path data = directory.resolve("data");
        CommandRun first = batch(data, "--log-retention-hours", "168");
        makeDecisionLogOld(data, Duration.ofHours(169));

        CommandRun second = batch(data, "--log-retention-hours", "168");

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout().strip()).isEqualTo(FIRST_OUTPUT);
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stdout().strip()).isEqualTo(RUN_AGAIN_OUTPUT);
        assertThat(data.resolve("decisions.log")).as("the first run's segment").doesNotExist();
    }

    @Test
    void answersTheIdsOfARunWithinTheRetentionWithTheirFirstOutcome() throws IOException {
        Path data = directory.resolve("data");
        CommandRun first = batch(data, "--log-retention-hours", "168");
        makeDecisionLogOld(data, Duration.ofHours(167));

        CommandRun second = batch(data, "--log-retention-hours", "168");
        CommandRun third = batch(data, "--log-retention-hours", "168");

        assertThat(first.stdout().strip()).isEqualTo(FIRST_OUTPUT);
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stdout()).isEqualTo(first.stdout());
        assertThat(third.stdout()).isEqualTo(first.stdout());
    }

    @Test
    void takesTheIdsAsNewAfterAShorterRetentionAndKeepsThemForEverWithZero() throws IOException {
        Path kept = directory.resolve("kept");
        batch(kept);
        makeDecisionLogOld(kept, Duration.ofDays(3650));
        Path forgotten = directory.resolve("forgotten");
        batch(forgotten);
        makeDecisionLogOld(forgotten, Duration.ofHours(2));

        CommandRun keptForEver = batch(kept, "--log-retention-hours", "0");
        CommandRun afterOneHour = batch(forgotten, "--log-retention-hours", "1");

        assertThat(keptForEver.exitCode()).as(keptForEver.stderr()).isZero();
        assertThat(keptForEver.stdout().strip()).isEqualTo(FIRST_OUTPUT);
        assertThat(afterOneHour.exitCode()).as(afterOneHour.stderr()).isZero();
        assertThat(afterOneHour.stdout().strip()).isEqualTo(RUN_AGAIN_OUTPUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "87601", "9223372036854775807"})
    void refusesARetentionOutOfRange(String hours) throws IOException {
        Path data = directory.resolve("data");

        CommandRun run = batch(data, "--log-retention-hours", hours);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().strip())
                .doesNotContain("\n")
                .contains("--log-retention-hours")
                .contains("0..87600")
                .contains(hours);
        assertThat(data).doesNotExist();
    }

    @Test
    void refusesARetentionThatIsNotANumber() throws IOException {
        CommandRun run = batch(directory.resolve("data"), "--log-retention-hours", "a week");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("--log-retention-hours");
    }

    /** Dates every segment of the decision log as last written {@code age} ago. */
    private static void makeDecisionLogOld(Path data, Duration age) throws IOException {
        FileTime then = FileTime.fromMillis(System.currentTimeMillis() - age.toMillis());
        try (Stream<Path> entries = Files.list(data)) {
            List<Path> segments = entries.filter(
                            entry -> entry.getFileName().toString().matches("decisions\\.log(\\.\\d+)?"))
                    .toList();
            assertThat(segments).isNotEmpty();
            for (Path segment : segments) {
                Files.setLastModifiedTime(segment, then);
            }
        }
    }
}
