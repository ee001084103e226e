package io.clearhouse.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.journal.JournalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file decision log with a retention, on real segment files: the finished transactions of segments past it are
 * forgotten, what recovery needs is carried into the new segment first, and a crash in between loses nothing.
 * Segments are made old by setting their files' last-modified times, never by waiting.
 */
class FileDecisionLogRetentionTest extends DecisionLogContract {
    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();
    private static final LogRetention ONE_HOUR = LogRetention.ofMillis(HOUR_MILLIS);
    private static final List<Posting> ABORTED_TRANSFER = List.of(new Posting("a", -5), new Posting("b", 5));

    @TempDir
    Path directory;

    private Path file() {
        return directory.resolve("decisions.log");
    }

    @Override
    protected DecisionLog openLog() {
        return FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR);
    }

    /** Opens the log as it would be opened {@code hours} from now: every segment aged by that much. */
    private FileDecisionLog openHoursLater(long hours) throws IOException {
        for (Path segment : segments()) {
            makeOld(segment, hours);
        }
        return FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR);
    }

    @Test
    void forgetsTheFinishedTransactionsOfSegmentsPastTheRetentionAndKeepsUnfinishedCommits() throws Exception {
        long firstIncarnation;
        try (FileDecisionLog log = FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR)) {
            firstIncarnation = log.incarnation();
            writeThreeTransactions(log);
        }

        try (FileDecisionLog log = openHoursLater(2)) {
            assertThat(log.outcomeOf("aborted")).isEmpty();
            assertThat(log.outcomeOf("completed")).isEmpty();
            assertThat(log.commitDecisionOf("1.2")).isEmpty();
            assertThat(log.commitDecisionOf("1.3")).contains(commit("1.3", "unfinished"));
            assertThat(log.outcomeOf("unfinished")).contains(commit("1.3", "unfinished"));
            assertThat(log.recoveredRecords())
                    .containsExactly(new DecisionRecord.Incarnation(firstIncarnation), commit("1.3", "unfinished"));
            assertThat(log.incarnation()).isGreaterThan(firstIncarnation);
        }
        assertThat(file()).doesNotExist();
        assertThat(segmentNames()).containsExactly("decisions.log.000001");
    }

    @Test
    void keepsEveryRecordWithinTheRetention() throws Exception {
        try (FileDecisionLog log = FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR)) {
            writeThreeTransactions(log);
        }

        try (FileDecisionLog log = openHoursLater(0)) {
            assertThat(log.outcomeOf("aborted")).isPresent();
            assertThat(log.outcomeOf("completed")).isPresent();
            assertThat(log.commitDecisionOf("1.2")).isPresent();
            assertThat(log.commitDecisionOf("1.3")).isPresent();
        }
        assertThat(segmentNames()).containsExactly("decisions.log", "decisions.log.000001");
    }

    @Test
    void raisesTheIncarnationAboveEveryEarlierOneWhenEverySegmentIsPastTheRetention() throws IOException {
        for (int open = 1; open <= 3; open++) {
            FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR).close();
        }

        try (FileDecisionLog log = openHoursLater(2)) {
            assertThat(log.incarnation()).isEqualTo(4);
            assertThat(log.recoveredRecords()).containsExactly(new DecisionRecord.Incarnation(3));
        }
        try (FileDecisionLog log = openHoursLater(4)) {
            assertThat(log.incarnation()).isEqualTo(5);
        }
        assertThat(segmentNames()).containsExactly("decisions.log.000004");
    }

    @Test
    void carriesACommitWhoseCompletionIsInAKeptSegmentTogetherWithItsCompletion() throws Exception {
        try (FileDecisionLog log = FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR)) {
            log.appendDurably(commit("1.1", "t1")).get(10, TimeUnit.SECONDS);
        }
        try (FileDecisionLog log = FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR)) {
            log.appendDurably(new DecisionRecord.Completion("1.1")).get(10, TimeUnit.SECONDS);
        }
        makeOld(file(), 2);

        try (FileDecisionLog log = FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR)) {
            assertThat(log.commitDecisionOf("1.1")).isPresent();
            assertThat(unfinishedCommits(log)).isEmpty();
        }
        makeOld(directory.resolve("decisions.log.000001"), 2);

        try (FileDecisionLog log = FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR)) {
            assertThat(log.commitDecisionOf("1.1")).isPresent();
            assertThat(unfinishedCommits(log)).as("the completion came along").isEmpty();
        }
        try (FileDecisionLog log = openHoursLater(2)) {
            assertThat(log.commitDecisionOf("1.1")).isEmpty();
            assertThat(log.outcomeOf("t1")).isEmpty();
        }
    }

    @Test
    void replaysCorrectlyAfterACrashBetweenTheCarryOverAndTheDeletion() throws Exception {
        try (FileDecisionLog log = FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR)) {
            writeThreeTransactions(log);
        }
        Path copy = directory.resolve("copy-of-the-first-segment");
        Files.copy(file(), copy, StandardCopyOption.COPY_ATTRIBUTES);
        openHoursLater(2).close();
        // What a crash after the carried records were forced and before the old segment was deleted leaves.
        Files.move(copy, file());
        assertThat(segmentNames()).containsExactly("decisions.log", "decisions.log.000001");

        try (FileDecisionLog log = FileDecisionLog.open(file(), JournalOptions.defaults())) {
            assertThat(log.outcomeOf("aborted")).isPresent();
            assertThat(log.outcomeOf("unfinished")).contains(commit("1.3", "unfinished"));
            assertThat(unfinishedCommits(log))
                    .containsExactly(commit("1.3", "unfinished"), commit("1.3", "unfinished"));
        }
        makeOld(file(), 2);
        long incarnationsSoFar = 3;

        try (FileDecisionLog log = FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR)) {
            assertThat(log.outcomeOf("aborted")).isEmpty();
            assertThat(log.outcomeOf("completed")).isEmpty();
            assertThat(log.commitDecisionOf("1.3")).contains(commit("1.3", "unfinished"));
            assertThat(log.incarnation()).isGreaterThan(incarnationsSoFar);
        }
        assertThat(file()).doesNotExist();
    }

    @Test
    void opensALogWrittenAsOneFileBeforeSegmentsAndKeepsItsRecords() throws Exception {
        try (FileDecisionLog log = FileDecisionLog.open(file(), JournalOptions.defaults())) {
            writeThreeTransactions(log);
        }
        try (FileDecisionLog log = FileDecisionLog.open(file(), JournalOptions.defaults())) {
            assertThat(log.incarnation()).isEqualTo(2);
        }
        assertThat(segmentNames())
                .as("keeping everything appends to the one file")
                .containsExactly("decisions.log");

        try (FileDecisionLog log = FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR)) {
            assertThat(log.incarnation()).isEqualTo(3);
            assertThat(log.outcomeOf("aborted")).isPresent();
            assertThat(log.outcomeOf("completed")).isPresent();
            assertThat(log.commitDecisionOf("1.3")).isPresent();
        }
        assertThat(segmentNames()).containsExactly("decisions.log", "decisions.log.000001");
    }

    @Test
    void refusesASecondOpeningOfTheSameLog() {
        try (FileDecisionLog log = FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR)) {
            assertThatThrownBy(() -> FileDecisionLog.open(file(), JournalOptions.defaults(), ONE_HOUR))
                    .isInstanceOf(DecisionLogException.class)
                    .hasMessageContaining(file().toString());
        }
    }

    /** An abort, a completed commit and a commit whose banks have not all acknowledged yet. */
    private static void writeThreeTransactions(DecisionLog log) throws Exception {
        log.appendDurably(
                        new DecisionRecord.AbortOutcome("1.1", "aborted", Reason.INSUFFICIENT_FUNDS, ABORTED_TRANSFER))
                .get(10, TimeUnit.SECONDS);
        log.appendDurably(commit("1.2", "completed")).get(10, TimeUnit.SECONDS);
        log.appendLazily(new DecisionRecord.Completion("1.2"));
        log.appendDurably(commit("1.3", "unfinished")).get(10, TimeUnit.SECONDS);
    }

    /** Sets a segment's last write {@code hours} back from its own, so that repeated ageing adds up. */
    private static void makeOld(Path segment, long hours) throws IOException {
        long lastWritten = Files.getLastModifiedTime(segment).toMillis();
        Files.setLastModifiedTime(segment, FileTime.fromMillis(lastWritten - hours * HOUR_MILLIS));
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(entry -> {
                        String name = entry.getFileName().toString();
                        return name.startsWith("decisions.log") && !name.endsWith(".lock");
                    })
                    .sorted()
                    .toList();
        }
    }

    private List<String> segmentNames() throws IOException {
        return segments().stream()
                .map(segment -> segment.getFileName().toString())
                .toList();
    }
}
