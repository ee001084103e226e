package io.clearhouse.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Posting;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tests' storage keeps the contract of every decision log, so that what tests show with it holds for the real. */
class DecisionLogStorageTest extends DecisionLogContract {
    private final DecisionLogStorage storage = new DecisionLogStorage();

    @Override
    protected DecisionLog openLog() {
        return storage.open();
    }

    @Test
    void losesLazyRecordsInACrashButKeepsDurableOnes() {
        DecisionLog log = storage.open();
        DecisionRecord commit = new DecisionRecord.CommitDecision(
                "1.1", "t1", List.of(new Posting("a", -1), new Posting("b", 1)), List.of("A"));
        log.appendDurably(commit).join();
        log.appendLazily(new DecisionRecord.Completion("1.1"));
        storage.crash();

        assertThat(storage.open().recoveredRecords()).containsExactly(new DecisionRecord.Incarnation(1), commit);
    }
}
