package io.clearhouse.log.raft;

import static io.clearhouse.log.raft.DecisionStateTest.abort;
import static io.clearhouse.log.raft.DecisionStateTest.commit;
import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.core.log.DecisionRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention of the replicated decision log on a three-peer group in this JVM: prune entries make every peer forget
 * the same finished transactions by the times the entries carry, and a peer that was away learns the same from a
 * snapshot. The entries are dated by the test, from {@link #T0} on, so that what is old does not depend on how fast
 * the machine runs.
 */
class RaftRetentionTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int PAGE = 1_000;
    private static final Duration APPLIED_WITHIN = Duration.ofSeconds(20);

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

    @Test
    void forgetsWhatFinishedBeforeTheCutoffOnEveryPeerAndKeepsTheRest() throws Exception {
        try (RaftDecisionLog log = group.openLog()) {
            append(log, abort("1.1", "old-abort"));
            append(log, commit("1.2", "old-commit"), new DecisionRecord.Completion("1.2"));
            append(log, commit("1.3", "unfinished"));
            assertThat(log.prune(T0, T0, PAGE).transactionsForgotten())
                    .as("dated by this entry, so not before its cutoff")
                    .isZero();
            append(log, abort("1.4", "recent-abort"));
            append(log, commit("1.5", "recent-commit"), new DecisionRecord.Completion("1.5"));

            RaftDecisionLog.Pruned pruned = log.prune(at(1), at(1), PAGE);

            assertThat(pruned.transactionsForgotten()).isEqualTo(2);
            for (String peer : List.of("p0", "p1", "p2")) {
                DecisionStateMachine state =
                        awaitApplied(peer, machine -> machine.applied(DecisionMessages.Kind.OUTCOME_OF, "old-commit")
                                .isEmpty());
                assertThat(outcome(state, "old-abort")).as(peer).isEmpty();
                assertThat(state.applied(DecisionMessages.Kind.COMMIT_DECISION_OF, "1.2"))
                        .as(peer)
                        .isEmpty();
                assertThat(outcome(state, "unfinished")).as(peer).contains(commit("1.3", "unfinished"));
                assertThat(outcome(state, "recent-abort")).as(peer).contains(abort("1.4", "recent-abort"));
                assertThat(outcome(state, "recent-commit")).as(peer).contains(commit("1.5", "recent-commit"));
            }
            assertThat(log.outcomeOf("old-commit")).isEmpty();
            assertThat(log.commitDecisionOf("1.3")).contains(commit("1.3", "unfinished"));
        }
        try (RaftDecisionLog reopened = group.openLog()) {
            assertThat(reopened.recoveredRecords())
                    .as("incarnation markers and the commit decision without a completion, whatever their age")
                    .containsExactly(new DecisionRecord.Incarnation(1), commit("1.3", "unfinished"));
            DecisionRecord.AbortOutcome again = abort("3.1", "old-abort");
            append(reopened, again);
            assertThat(reopened.outcomeOf("old-abort"))
                    .as("a forgotten id is new again")
                    .contains(again);
        }
    }

    @Test
    void forgetsInEntriesOfAtMostThePageSize() throws Exception {
        try (RaftDecisionLog log = group.openLog()) {
            for (int i = 0; i < 10; i++) {
                append(log, abort("1." + i, "t" + i));
            }
            log.prune(T0, T0, PAGE);

            RaftDecisionLog.Pruned pruned = log.prune(at(1), at(1), 3);

            assertThat(pruned).isEqualTo(new RaftDecisionLog.Pruned(10, 4));
            assertThat(log.outcomeOf("t9")).isEmpty();
        }
    }

    @Test
    void aPeerThatWasAwayHoldsTheSameStateFromASnapshotTakenAfterAPrune() throws Exception {
        List<String> followers = group.followers();
        String behind = followers.get(0);
        String other = followers.get(1);
        int fillers = 3 * (int) RaftTestGroup.OPTIONS.snapshotThresholdEntries();
        try (RaftDecisionLog log = group.openLog()) {
            group.closePeer(behind);
            for (int i = 0; i < 5; i++) {
                append(log, abort("1.a" + i, "old-" + i));
            }
            log.prune(T0, T0, PAGE);
            append(log, commit("1.k", "kept"), new DecisionRecord.Completion("1.k"));
            append(log, commit("1.w", "waiting"));
            assertThat(log.prune(at(1), at(1), PAGE).transactionsForgotten()).isEqualTo(5);
            for (int i = 0; i < fillers; i++) {
                append(log, abort("1.f" + i, "filler-" + i));
            }

            group.startPeer(behind);
            group.closePeer(other);
            append(log, abort("1.x", "last"));
            assertThat(filesIn(group.storageOf(behind), "snapshot."))
                    .as("the leader sent the peer a snapshot")
                    .isNotEmpty();
            String leader = group.leader();
            DecisionState.Size leaderSize = group.node(leader).stateMachine().stateSize();
            awaitApplied(behind, machine -> machine.stateSize().equals(leaderSize));
            assertThat(outcome(group.node(behind).stateMachine(), "old-0")).isEmpty();
            assertThat(outcome(group.node(behind).stateMachine(), "kept")).isPresent();

            assertThat(log.prune(at(2), at(3), PAGE).transactionsForgotten())
                    .as("the commit dated by the second prune; the rest by the third")
                    .isOne();
            DecisionStateMachine caughtUp =
                    awaitApplied(behind, machine -> outcome(machine, "kept").isEmpty());
            assertThat(caughtUp.applied(DecisionMessages.Kind.COMMIT_DECISION_OF, "1.k"))
                    .isEmpty();
            assertThat(outcome(caughtUp, "waiting")).isPresent();
            assertThat(outcome(caughtUp, "filler-" + (fillers - 1))).isPresent();
            assertThat(outcome(caughtUp, "last")).isPresent();
            assertThat(caughtUp.stateSize())
                    .isEqualTo(group.node(leader).stateMachine().stateSize());
        }
    }

    @Test
    void keepsTheStateFlatOverManyPruneRounds() throws Exception {
        int perRound = 20;
        int retentionRounds = 3;
        try (RaftDecisionLog log = group.openLog()) {
            for (int round = 0; round < 30; round++) {
                List<CompletableFuture<Void>> writes = new ArrayList<>();
                for (int i = 0; i < perRound; i++) {
                    String id = round + "-" + i;
                    if (i % 2 == 0) {
                        writes.add(log.appendDurably(abort("1." + id, "t" + id)));
                    } else {
                        writes.add(log.appendDurably(commit("1." + id, "t" + id)));
                        writes.add(log.appendDurably(new DecisionRecord.Completion("1." + id)));
                    }
                }
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                        .get(30, TimeUnit.SECONDS);
                log.prune(at(round - retentionRounds), at(round), PAGE);

                DecisionState.Size size =
                        group.node(group.leader()).stateMachine().stateSize();
                assertThat(size.outcomes()).isLessThanOrEqualTo((retentionRounds + 1) * perRound);
                assertThat(size.commitDecisions()).isLessThanOrEqualTo((retentionRounds + 1) * perRound / 2);
                assertThat(size.buckets()).isLessThanOrEqualTo(retentionRounds + 1);
                assertThat(size.recoveryRecords()).as("the incarnation marker").isOne();
            }
            assertThat(log.outcomeOf("t26-0")).isPresent();
            assertThat(log.outcomeOf("t25-0")).isEmpty();
        }
    }

    private static Instant at(long millisAfterT0) {
        return T0.plusMillis(millisAfterT0);
    }

    private static void append(RaftDecisionLog log, DecisionRecord... records) throws Exception {
        for (DecisionRecord record : records) {
            log.appendDurably(record).get(10, TimeUnit.SECONDS);
        }
    }

    private static java.util.Optional<DecisionRecord> outcome(DecisionStateMachine state, String clientId) {
        return state.applied(DecisionMessages.Kind.OUTCOME_OF, clientId);
    }

    /** The state machine of {@code peer} once {@code applied} holds of it, which it must within a deadline. */
    private DecisionStateMachine awaitApplied(String peer, Predicate<DecisionStateMachine> applied)
            throws InterruptedException {
        long deadline = System.nanoTime() + APPLIED_WITHIN.toNanos();
        while (!applied.test(group.node(peer).stateMachine())) {
            assertThat(System.nanoTime() - deadline)
                    .as(peer + " applied it within " + APPLIED_WITHIN)
                    .isNegative();
            Thread.sleep(20);
        }
        return group.node(peer).stateMachine();
    }

    private static List<Path> filesIn(Path storage, String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(storage)) {
            return files.filter(file -> file.getFileName().toString().startsWith(prefix))
                    .toList();
        }
    }
}
