package io.clearhouse.log.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Posting;
import io.clearhouse.core.log.DecisionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RaftRehearsalTest {
    private static final List<Posting> TRANSFER = List.of(new Posting("alice", -10), new Posting("bob", 10));

    @Test
    void oneOfItsPeersLeadsAndTakesDecisionsAndClosingLeavesNoStorage() throws Exception {
        Path storage;
        try (RaftRehearsal rehearsal = RaftRehearsal.start(RaftTestGroup.OPTIONS)) {
            RaftDecisionNode leader = rehearsal.readyLeader(Duration.ofSeconds(30));
            storage = leader.placement().storageDirectory().getParent();
            assertThat(storage).isDirectory();
            try (RaftDecisionLog log = RaftDecisionLog.open(
                    leader, RaftTestGroup.OPTIONS, leader.leadership().term())) {
                log.appendDurably(new DecisionRecord.CommitDecision("1.1", "rehearsed", TRANSFER, List.of("A", "B")))
                        .get(10, TimeUnit.SECONDS);
                assertThat(log.commitDecisionOf("1.1")).isPresent();
            }
        }
        assertThat(Files.exists(storage)).isFalse();
    }
}
