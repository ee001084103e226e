package io.clearhouse.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DecisionLog} must do, whatever stores it. An implementation's test extends this class and says
 * how to open its log and how to open it again over the same storage, as after a restart.
 */
public abstract class DecisionLogContract {
    private static final List<Posting> TRANSFER = List.of(new Posting("alice", -10), new Posting("bob", 10));

    private final List<DecisionLog> opened = new ArrayList<>();

    /** Opens the log over fresh, empty storage, the first time, or over the storage earlier opens used. */
    protected abstract DecisionLog openLog();

    private DecisionLog open() {
        DecisionLog log = openLog();
        opened.add(log);
        return log;
    }

    @AfterEach
    void closeEverything() {
        for (DecisionLog log : opened) {
            log.close();
        }
    }

    @Test
    void startsEmptyWithTheFirstIncarnation() {
        DecisionLog log = open();
        assertThat(log.recoveredRecords()).isEmpty();
        assertThat(log.incarnation()).isEqualTo(1);
    }

    @Test
    void replaysTheCommitDecisionsNoCompletionFollowsInOrderAfterReopen() throws Exception {
        DecisionLog log = open();
        DecisionRecord.CommitDecision first = commit("1.1", "t1");
        DecisionRecord.CommitDecision second = commit("1.2", "t2");
        log.appendDurably(first).get(10, TimeUnit.SECONDS);
        log.appendDurably(second).get(10, TimeUnit.SECONDS);
        log.close();

        assertThat(unfinishedCommits(open())).containsExactly(first, second);
    }

    @Test
    void raisesTheIncarnationAtEveryOpen() {
        open().close();
        open().close();
        DecisionLog third = open();
        assertThat(third.incarnation()).isEqualTo(3);
        assertThat(third.recoveredRecords())
                .filteredOn(record -> record instanceof DecisionRecord.Incarnation)
                .containsExactly(new DecisionRecord.Incarnation(1), new DecisionRecord.Incarnation(2));
    }

    @Test
    void carriesLazyRecordsWithTheNextDurableOne() throws Exception {
        DecisionLog log = open();
        DecisionRecord.CommitDecision finished = commit("1.1", "t1");
        DecisionRecord.CommitDecision unfinished = commit("1.2", "t2");
        log.appendDurably(finished).get(10, TimeUnit.SECONDS);
        log.appendLazily(new DecisionRecord.Completion("1.1"));
        log.appendDurably(unfinished).get(10, TimeUnit.SECONDS);
        log.close();

        assertThat(unfinishedCommits(open()))
                .as("the lazy completion went out with the second decision")
                .containsExactly(unfinished);
    }

    @Test
    void findsTheOutcomeOfAClientIdWhileOpenAndAfterReopen() throws Exception {
        DecisionLog log = open();
        DecisionRecord.CommitDecision commit = commit("1.1", "t1");
        DecisionRecord.AbortOutcome abort = new DecisionRecord.AbortOutcome("1.2", "t2", Reason.TIMEOUT, TRANSFER);
        log.appendDurably(commit).get(10, TimeUnit.SECONDS);
        log.appendDurably(abort).get(10, TimeUnit.SECONDS);
        log.appendLazily(new DecisionRecord.Completion("1.1"));
        assertThat(log.outcomeOf("t1")).contains(commit);
        assertThat(log.outcomeOf("t2")).contains(abort);
        log.close();

        DecisionLog reopened = open();
        assertThat(reopened.outcomeOf("t1")).contains(commit);
        assertThat(reopened.outcomeOf("t2")).contains(abort);
        assertThat(reopened.outcomeOf("t3")).isEmpty();
        assertThat(reopened.outcomeOf("1.1")).as("a global id is no client id").isEmpty();
    }

    @Test
    void findsACommitDecisionByItsGlobalIdAlsoAfterItsCompletion() throws Exception {
        DecisionLog log = open();
        DecisionRecord.CommitDecision completed = commit("1.1", "t1");
        log.appendDurably(completed).get(10, TimeUnit.SECONDS);
        log.appendDurably(new DecisionRecord.AbortOutcome("1.2", "t2", Reason.TIMEOUT, TRANSFER))
                .get(10, TimeUnit.SECONDS);
        log.appendLazily(new DecisionRecord.Completion("1.1"));
        log.close();

        DecisionLog reopened = open();
        assertThat(reopened.commitDecisionOf("1.1")).contains(completed);
        assertThat(reopened.commitDecisionOf("1.2"))
                .as("an abort is no commit decision")
                .isEmpty();
        assertThat(reopened.commitDecisionOf("t1"))
                .as("a client id is no global id")
                .isEmpty();
    }

    @Test
    void completesConcurrentDurableAppends() throws Exception {
        DecisionLog log = open();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            writes.add(log.appendDurably(new DecisionRecord.AbortOutcome("1." + i, "t" + i, Reason.TIMEOUT, TRANSFER)));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        log.close();

        DecisionLog reopened = open();
        for (int i = 0; i < 200; i++) {
            assertThat(reopened.outcomeOf("t" + i))
                    .contains(new DecisionRecord.AbortOutcome("1." + i, "t" + i, Reason.TIMEOUT, TRANSFER));
        }
    }

    protected static DecisionRecord.CommitDecision commit(String globalId, String clientId) {
        return new DecisionRecord.CommitDecision(globalId, clientId, TRANSFER, List.of("A", "B"));
    }

    /** The commit decisions among the recovered records that no recovered completion follows, in order. */
    protected static List<DecisionRecord.CommitDecision> unfinishedCommits(DecisionLog log) {
        List<DecisionRecord.CommitDecision> commits = new ArrayList<>();
        for (DecisionRecord record : log.recoveredRecords()) {
            if (record instanceof DecisionRecord.CommitDecision commit) {
                commits.add(commit);
            } else if (record instanceof DecisionRecord.Completion completion) {
                commits.removeIf(commit -> commit.globalId().equals(completion.globalId()));
            }
        }
        return commits;
    }

    @Test
    void refusesACommitDecisionThatDoesNotBalance() {
        DecisionLog log = open();
        DecisionRecord unbalanced =
                new DecisionRecord.CommitDecision("1.1", "t1", List.of(new Posting("alice", -10)), List.of("A"));
        assertThatThrownBy(() -> log.appendDurably(unbalanced)).isInstanceOf(CorruptDecisionRecordException.class);
    }

    @Test
    void refusesARecordWithAnEmptyId() {
        DecisionLog log = open();
        assertThatThrownBy(() -> log.appendLazily(new DecisionRecord.Completion("")))
                .isInstanceOf(CorruptDecisionRecordException.class);
    }

    @Test
    void refusesAParticipantNamedTwice() {
        DecisionLog log = open();
        DecisionRecord twice = new DecisionRecord.CommitDecision("1.1", "t1", TRANSFER, List.of("A", "A"));
        assertThatThrownBy(() -> log.appendDurably(twice)).isInstanceOf(CorruptDecisionRecordException.class);
    }
}
