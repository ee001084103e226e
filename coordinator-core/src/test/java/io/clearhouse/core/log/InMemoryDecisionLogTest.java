package io.clearhouse.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Posting;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryDecisionLogTest extends DecisionLogContract {
    private final InMemoryDecisionLog.Storage storage = new InMemoryDecisionLog.Storage();

    @Override
    protected DecisionLog openLog() {
        return storage.open();
    }

    @Test
    void losesLazyRecordsInACrashButKeepsDurableOnes() {
        InMemoryDecisionLog log = storage.open();
        DecisionRecord commit = new DecisionRecord.CommitDecision(
                "1.1", "t1", List.of(new Posting("a", -1), new Posting("b", 1)), List.of("A"));
        log.appendDurably(commit).join();
        log.appendLazily(new DecisionRecord.Completion("1.1"));
        storage.crash();

        assertThat(storage.open().recoveredRecords()).containsExactly(new DecisionRecord.Incarnation(1), commit);
    }

    @Test
    void discardingLogKeepsNothingAndForcesNothing() {
        InMemoryDecisionLog log = InMemoryDecisionLog.discarding();
        log.appendDurably(new DecisionRecord.Completion("1.1")).join();
        assertThat(log.recoveredRecords()).isEmpty();
        assertThat(log.forcedWrites()).isZero();
    }
}
