package io.clearhouse.log.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.core.log.CorruptDecisionRecordException;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.log.DecisionRecordCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state's pruning and its snapshot formats, as pure logic; {@code RaftRetentionTest} runs them on peers. */
class DecisionStateTest {
    private static final List<Posting> TRANSFER = List.of(new Posting("alice", -10), new Posting("bob", 10));
    private static final int PAGE = 1_000;

    @Test
    void readsASnapshotOfTheFirstFormatAndForgetsItsFinishedTransactionsOneRetentionAfterTheFirstPrune()
            throws IOException {
        DecisionState state = new DecisionState();
        state.readFrom(in(firstFormatSnapshot()));

        assertThat(state.outcomeOf("aborted")).isPresent();
        assertThat(state.outcomeOf("committed")).isPresent();
        assertThat(state.size().finishedTransactions()).isEqualTo(2);
        assertThat(state.prune(1_000, 1_000, PAGE).transactionsForgotten())
                .as("dated by the first prune, not forgotten by it")
                .isZero();
        assertThat(state.prune(1_001, 1_001, PAGE).transactionsForgotten()).isEqualTo(2);

        assertThat(state.outcomeOf("aborted")).isEmpty();
        assertThat(state.outcomeOf("committed")).isEmpty();
        assertThat(state.commitDecisionOf("1.2")).isEmpty();
        assertThat(state.outcomeOf("waiting")).isPresent();
        assertThat(state.commitDecisionOf("1.3")).isPresent();
        assertThat(state.open().recovered())
                .containsExactly(new DecisionRecord.Incarnation(1), commit("1.3", "waiting"));
    }

    /** Written as version 1 wrote it: the version, then the recovery list, the outcomes and the commit decisions. */
    private static byte[] firstFormatSnapshot() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] committed = DecisionRecordCodec.encode(commit("1.2", "committed"));
            byte[] waiting = DecisionRecordCodec.encode(commit("1.3", "waiting"));
            out.writeInt(1);
            DecisionMessages.writeRecords(
                    out, List.of(DecisionRecordCodec.encode(new DecisionRecord.Incarnation(1)), waiting));
            DecisionMessages.writeRecords(
                    out, List.of(DecisionRecordCodec.encode(abort("1.1", "aborted")), committed, waiting));
            DecisionMessages.writeRecords(out, List.of(committed, waiting));
        }
        return bytes.toByteArray();
    }

    @Test
    void aSnapshotKeepsWhenEachTransactionFinishedAndWhatAPartialPageLeft() throws IOException {
        DecisionState state = new DecisionState();
        apply(state, new DecisionRecord.Incarnation(1));
        for (int i = 0; i < 5; i++) {
            apply(state, abort("1.a" + i, "old-" + i));
        }
        state.prune(1_000, 1_000, PAGE);
        apply(state, abort("1.b", "recent"));
        assertThat(state.prune(1_001, 1_001, 3).transactionsForgotten()).isEqualTo(3);

        DecisionState copy = new DecisionState();
        copy.readFrom(in(snapshotOf(state)));

        assertThat(copy.size()).isEqualTo(state.size());
        DecisionMessages.PrunePage rest = copy.prune(1_001, 1_001, PAGE);
        assertThat(rest.transactionsForgotten()).isEqualTo(2);
        assertThat(copy.outcomeOf("old-3")).isEmpty();
        assertThat(copy.outcomeOf("old-4")).isEmpty();
        assertThat(copy.outcomeOf("recent")).isPresent();
        assertThat(copy.prune(1_002, 1_002, PAGE).transactionsForgotten()).isOne();
        assertThat(copy.outcomeOf("recent")).isEmpty();
    }

    @Test
    void keepsItsSizeAndItsSnapshotFlatOverManyPruneRounds() throws IOException {
        DecisionState state = new DecisionState();
        apply(state, new DecisionRecord.Incarnation(1));
        int perRound = 50;
        int retentionRounds = 5;
        int largestSnapshot = 0;
        for (int round = 0; round < 400; round++) {
            for (int i = 0; i < perRound; i++) {
                String id = round + "-" + i;
                if (i % 3 == 0) {
                    apply(state, abort("1." + id, "t" + id));
                } else {
                    apply(state, commit("1." + id, "t" + id));
                    apply(state, new DecisionRecord.Completion("1." + id));
                }
            }
            state.prune(round - retentionRounds, round, PAGE);
            DecisionState.Size size = state.size();
            assertThat(size.outcomes()).isLessThanOrEqualTo((retentionRounds + 1) * perRound);
            assertThat(size.commitDecisions()).isLessThanOrEqualTo((retentionRounds + 1) * perRound);
            assertThat(size.buckets()).isLessThanOrEqualTo(retentionRounds + 1);
            assertThat(size.recoveryRecords()).isOne();
            int snapshot = snapshotOf(state).length;
            if (round == 2 * retentionRounds) {
                largestSnapshot = snapshot;
            } else if (round > 2 * retentionRounds) {
                assertThat(snapshot).isLessThanOrEqualTo(largestSnapshot + largestSnapshot / 10);
            }
        }
    }

    @Test
    void refusesASnapshotThatDatesACommitDecisionItDoesNotHold() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(2);
            for (int section = 0; section < 3; section++) {
                DecisionMessages.writeRecords(out, List.of());
            }
            out.writeLong(1_000);
            out.writeInt(0);
            out.writeInt(1);
            out.writeByte(1);
            out.writeUTF("1.1");
            out.writeUTF("t1");
        }

        assertThatThrownBy(() -> new DecisionState().readFrom(in(bytes.toByteArray())))
                .isInstanceOf(CorruptDecisionRecordException.class)
                .hasMessageContaining("commit decision of 1.1");
    }

    @Test
    void keepsACommitDecisionWithoutACompletionWhateverItsAge() {
        DecisionState state = new DecisionState();
        apply(state, commit("1.1", "waiting"));
        apply(state, abort("1.2", "aborted"));
        state.prune(1_000, 1_000, PAGE);

        assertThat(state.prune(2_000, 2_000, PAGE).transactionsForgotten()).isOne();
        assertThat(state.outcomeOf("waiting")).isPresent();
        assertThat(state.commitDecisionOf("1.1")).isPresent();

        apply(state, new DecisionRecord.Completion("1.1"));
        state.prune(2_000, 3_000, PAGE);
        assertThat(state.prune(3_001, 3_001, PAGE).transactionsForgotten()).isOne();
        assertThat(state.outcomeOf("waiting")).isEmpty();
        assertThat(state.commitDecisionOf("1.1")).isEmpty();
    }

    @Test
    void datesByTheLatestPruneTimeWhenANewLeadersClockIsBehind() {
        DecisionState state = new DecisionState();
        state.prune(5_000, 10_000, PAGE);
        apply(state, abort("1.1", "aborted"));

        state.prune(1_000, 2_000, PAGE);
        assertThat(state.prune(9_000, 9_000, PAGE).transactionsForgotten())
                .as("dated 10,000, the latest time of the log, not 2,000")
                .isZero();
        assertThat(state.prune(10_001, 10_001, PAGE).transactionsForgotten()).isOne();
    }

    private static void apply(DecisionState state, DecisionRecord record) {
        state.apply(record, DecisionRecordCodec.encode(record));
    }

    private static byte[] snapshotOf(DecisionState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            state.writeTo(out);
        }
        return bytes.toByteArray();
    }

    private static DataInputStream in(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    static DecisionRecord.CommitDecision commit(String globalId, String clientId) {
        return new DecisionRecord.CommitDecision(globalId, clientId, TRANSFER, List.of("A", "B"));
    }

    static DecisionRecord.AbortOutcome abort(String globalId, String clientId) {
        return new DecisionRecord.AbortOutcome(globalId, clientId, Reason.INSUFFICIENT_FUNDS, TRANSFER);
    }
}
