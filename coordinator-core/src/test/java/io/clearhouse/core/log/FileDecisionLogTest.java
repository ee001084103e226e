package io.clearhouse.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.journal.Journal;
import io.clearhouse.journal.JournalOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDecisionLogTest extends DecisionLogContract {
    @TempDir
    Path directory;

    @Override
    protected DecisionLog openLog() {
        return FileDecisionLog.open(directory.resolve("decisions.log"), JournalOptions.defaults());
    }

    @Test
    void forcesOnceForADurableAppend() throws Exception {
        DecisionLog log = openLog();
        long before = log.forcedWrites();
        log.appendDurably(new DecisionRecord.CommitDecision(
                        "1.1", "t1", List.of(new Posting("a", -1), new Posting("b", 1)), List.of("A")))
                .get(10, TimeUnit.SECONDS);
        assertThat(log.forcedWrites()).isEqualTo(before + 1);
        log.close();
    }

    @Test
    void refusesToOpenAFileHoldingARecordOfAnUnknownVersion() {
        Path file = directory.resolve("foreign.log");
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            journal.appendDurablyAndWait(new byte[] {9, 1, 0, 0, 0, 0, 0, 0, 0, 1});
        }
        assertThatThrownBy(() -> FileDecisionLog.open(file, JournalOptions.defaults()))
                .isInstanceOf(CorruptDecisionRecordException.class)
                .hasMessageContaining("version");
    }
}
