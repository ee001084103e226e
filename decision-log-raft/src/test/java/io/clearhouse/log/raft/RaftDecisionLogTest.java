package io.clearhouse.log.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionLogContract;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision log contract over a three-peer group in this JVM, and what a group adds: losing peers. */
class RaftDecisionLogTest extends DecisionLogContract {
    /** Ratis' default would keep the one peer that can win out of elections for 10 s. */
    private static final Duration STAND_AGAIN_WITHIN = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    private RaftTestGroup group;

    @BeforeEach
    void startGroup() throws IOException {
        group = RaftTestGroup.start(3, directory);
    }

    @AfterEach
    void closeGroup() {
        group.close();
    }

    @Override
    protected DecisionLog openLog() {
        try {
            return group.openLog();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void refusesTheWritesOfADeposedLeaderAndKeepsWhatItWroteInItsTerm() throws Exception {
        DecisionRecord.CommitDecision before = commit("2.1", "t1");
        RaftDecisionLog deposed = group.openLog();
        deposed.appendDurably(before).get(10, TimeUnit.SECONDS);
        String oldLeader = group.leader();

        group.closePeer(oldLeader);

        assertThat(group.leader()).isNotEqualTo(oldLeader);
        CompletableFuture<Void> late = deposed.appendDurably(commit("2.2", "t2"));
        assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StaleLeadershipException.class);
        assertThatThrownBy(deposed::close).isInstanceOf(DecisionLogException.class);
        try (RaftDecisionLog current = group.openLog()) {
            assertThat(current.incarnation()).isEqualTo(deposed.incarnation() + 1);
            assertThat(current.recoveredRecords()).contains(before);
            assertThat(current.outcomeOf("t1")).contains(before);
            assertThat(current.outcomeOf("t2")).isEmpty();
            DecisionRecord.CommitDecision after = commit("3.1", "t3");
            current.appendDurably(after).get(10, TimeUnit.SECONDS);
            assertThat(current.outcomeOf("t3")).contains(after);
        }
    }

    @Test
    void refusesToOpenForATermThatIsOver() throws Exception {
        long term = group.readyLeader().term();
        group.closePeer(group.leader());
        assertThat(group.readyLeader().term()).isGreaterThan(term);

        assertThatThrownBy(() -> RaftDecisionLog.open(group.peers(), RaftTestGroup.OPTIONS, term))
                .isInstanceOf(StaleLeadershipException.class);
    }

    @Test
    void tellsEveryPeerWhoLeads() throws Exception {
        RaftDecisionNode.Leadership leader = group.readyLeader();
        for (String follower : group.followers()) {
            RaftDecisionNode.Leadership view = awaitLeaderKnownBy(follower);
            assertThat(view.role()).isEqualTo(RaftDecisionNode.Role.FOLLOWER);
            assertThat(view.leaderId()).isEqualTo(leader.leaderId());
            assertThat(view.term()).isEqualTo(leader.term());
            assertThat(view.leaderReady()).isFalse();
        }
    }

    private RaftDecisionNode.Leadership awaitLeaderKnownBy(String id) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            RaftDecisionNode.Leadership view = group.node(id).leadership();
            if (view.leaderId().isPresent()) {
                return view;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(id + " never learnt of a leader");
    }

    @Test
    void completesNoWriteWithoutAMajorityAndServesANewLeaderOnceOneIsBack() throws Exception {
        RaftDecisionLog log = group.openLog();
        List<String> followers = group.followers();
        group.closePeer(followers.get(0));
        group.closePeer(followers.get(1));

        CompletableFuture<Void> write = log.appendDurably(commit("2.1", "t1"));
        assertThatThrownBy(() -> write.get(2, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);

        group.startPeer(followers.get(0));
        try {
            log.close();
        } catch (DecisionLogException closedBeforeCommit) {
            // The leader stepped down without a majority, so its coordinator's log may end no other way.
        }
        try (RaftDecisionLog reopened = group.openLog()) {
            if (!write.isCompletedExceptionally()) {
                assertThat(reopened.outcomeOf("t1")).contains(commit("2.1", "t1"));
            }
            DecisionRecord.CommitDecision after = commit("3.1", "t2");
            reopened.appendDurably(after).get(10, TimeUnit.SECONDS);
            assertThat(reopened.outcomeOf("t2")).contains(after);
        }
    }

    /**
     * A leader that stepped down for want of a majority's answers, the only peer whose log can win (it holds an entry
     * no other peer has), stands again soon: Ratis' default keeps such a peer out of elections for 10 s, and a new
     * leader on a cold JVM that took longer than an election timeout to set itself up stepped down that way when the
     * other survivor's vote request came, leaving the group without a leader for 10-39 s (docs/benchmarks.md,
     * section 15).
     */
    @Test
    void aLeaderThatSteppedDownForWantOfAMajorityStandsAgainWithinSeconds() throws Exception {
        String leader = group.leader();
        List<String> followers = group.followers();
        String behind = followers.get(0);
        group.closePeer(behind);
        try (RaftDecisionLog log = group.openLog()) {
            log.appendDurably(commit("2.1", "after-one-left")).get(10, TimeUnit.SECONDS);
        }
        group.closePeer(followers.get(1));
        awaitRole(leader, RaftDecisionNode.Role.FOLLOWER);

        group.startPeer(behind);
        long restarted = System.nanoTime();
        RaftDecisionNode.Leadership next = awaitReadyLeader(STAND_AGAIN_WITHIN);

        assertThat(next.leaderId())
                .as("the only running peer holding every entry")
                .contains(leader);
        assertThat(Duration.ofNanos(System.nanoTime() - restarted)).isLessThan(STAND_AGAIN_WITHIN);
    }

    private void awaitRole(String id, RaftDecisionNode.Role role) throws InterruptedException {
        long deadline = System.nanoTime() + STAND_AGAIN_WITHIN.toNanos();
        while (group.node(id).leadership().role() != role) {
            assertThat(System.nanoTime() - deadline)
                    .as(id + " never became " + role)
                    .isNegative();
            Thread.sleep(10);
        }
    }

    private RaftDecisionNode.Leadership awaitReadyLeader(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (String id : List.of("p0", "p1", "p2")) {
                RaftDecisionNode node = group.node(id);
                if (node != null && node.leadership().leaderReady()) {
                    return node.leadership();
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no ready leader within " + within);
    }

    @Test
    void catchesUpARestartedPeerAfterSnapshots() throws Exception {
        List<String> followers = group.followers();
        String behind = followers.get(0);
        String other = followers.get(1);
        try (RaftDecisionLog log = group.openLog()) {
            group.closePeer(behind);
            for (int i = 0; i < 3 * RaftTestGroup.OPTIONS.snapshotThresholdEntries(); i++) {
                log.appendDurably(commit("1." + i, "t" + i)).get(10, TimeUnit.SECONDS);
            }
            Path leaderStorage = group.storageOf(group.leader());
            assertThat(filesIn(leaderStorage, "snapshot.")).isNotEmpty();
            assertThat(filesIn(leaderStorage, "log_0-"))
                    .as("the segment that began the log was purged")
                    .isEmpty();

            group.startPeer(behind);
            group.closePeer(other);
            log.appendDurably(commit("1.x", "tx")).get(10, TimeUnit.SECONDS);
            assertThat(filesIn(group.storageOf(behind), "snapshot."))
                    .as("the leader sent the peer a snapshot")
                    .isNotEmpty();
            assertThat(group.node(behind).isAlive())
                    .as("the peer still runs after loading it")
                    .isTrue();
        }
        group.closePeer(group.leader());
        group.startPeer(other);
        try (RaftDecisionLog reopened = group.openLog()) {
            for (int i = 0; i < 3 * RaftTestGroup.OPTIONS.snapshotThresholdEntries(); i++) {
                assertThat(reopened.outcomeOf("t" + i)).contains(commit("1." + i, "t" + i));
            }
            assertThat(reopened.outcomeOf("tx")).contains(commit("1.x", "tx"));
        }
    }

    /**
     * A leader starts its term in a new log segment, so once it snapshots and purges, its log begins right after the
     * last entry of the term before: exactly where the log of a peer that led that term and stopped ends. Ratis finds
     * no entry before the first one it must send that peer, and without {@code PurgedLogAwareGrpc} never sends it.
     */
    @Test
    void catchesUpAFormerLeaderWhoseLogEndsWhereTheNewLeadersPurgedLogBegins() throws Exception {
        String formerLeader = group.leader();
        try (RaftDecisionLog log = group.openLog()) {
            log.appendDurably(commit("1.1", "before")).get(10, TimeUnit.SECONDS);
        }
        group.closePeer(formerLeader);
        String newLeader = group.leader();
        String other = group.followers().get(0);
        int written = 3 * (int) RaftTestGroup.OPTIONS.snapshotThresholdEntries();
        try (RaftDecisionLog log = group.openLog()) {
            for (int i = 0; i < written; i++) {
                log.appendDurably(commit("2." + i, "t" + i)).get(10, TimeUnit.SECONDS);
            }
            assertThat(filesIn(group.storageOf(newLeader), "log_0-"))
                    .as("the segment of the former leader's term was purged")
                    .isEmpty();

            group.startPeer(formerLeader);
            group.closePeer(other);
            log.appendDurably(commit("2.x", "tx")).get(10, TimeUnit.SECONDS);
        }
        group.closePeer(newLeader);
        group.startPeer(other);
        try (RaftDecisionLog reopened = group.openLog()) {
            assertThat(reopened.outcomeOf("before")).contains(commit("1.1", "before"));
            assertThat(reopened.outcomeOf("t" + (written - 1)))
                    .contains(commit("2." + (written - 1), "t" + (written - 1)));
            assertThat(reopened.outcomeOf("tx")).contains(commit("2.x", "tx"));
        }
    }

    @Test
    void sharesEntriesBetweenConcurrentAppends() throws Exception {
        try (RaftDecisionLog log = group.openLog()) {
            long before = log.forcedWrites();
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                writes.add(log.appendDurably(commit("1." + i, "t" + i)));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            assertThat(log.forcedWrites() - before)
                    .as("entries for 200 appends of at most %d records each", RaftTestGroup.OPTIONS.batchSizeMax())
                    .isBetween(200L / RaftTestGroup.OPTIONS.batchSizeMax(), 199L);
        }
    }

    private static List<Path> filesIn(Path storage, String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(storage)) {
            return files.filter(file -> file.getFileName().toString().startsWith(prefix))
                    .toList();
        }
    }
}
