package io.clearhouse.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionMachineTest {
    /** The effects of one step, in the order the machine emits them. */
    private static List<Effect> effectsOf(TransactionMachine machine, Event event) {
        List<Effect> effects = new ArrayList<>();
        machine.step(event, effects::add);
        return effects;
    }

    private static final Posting DEBIT = new Posting("alice", -10);
    private static final Posting CREDIT = new Posting("bob", 10);
    private static final Xid AT_A = new Xid("1.1", "A");
    private static final Xid AT_B = new Xid("1.1", "B");

    private final TransactionMachine machine = new TransactionMachine(
            "1.1",
            "t1",
            List.of(DEBIT, CREDIT),
            List.of(new Branch("A", List.of(DEBIT)), new Branch("B", List.of(CREDIT))),
            3);

    @Test
    void sendsPrepareToEveryBankAtOnceAndStartsTheDeadline() {
        assertThat(effectsOf(machine, Event.START))
                .containsExactly(
                        new Effect.SendPrepare(AT_A, List.of(DEBIT)),
                        new Effect.SendPrepare(AT_B, List.of(CREDIT)),
                        new Effect.StartPrepareTimer());
        assertThat(machine.state()).isEqualTo(CoordinatorState.PREPARING);
    }

    @Test
    void forcesTheDecisionBeforeAnyCommitAndRepliesAfterIt() {
        effectsOf(machine, Event.START);
        assertThat(effectsOf(machine, new Event.VoteReceived("A", Vote.COMMIT))).isEmpty();
        assertThat(effectsOf(machine, new Event.VoteReceived("B", Vote.COMMIT)))
                .containsExactly(
                        new Effect.CancelPrepareTimer(),
                        new Effect.ForceDecision(new DecisionRecord.CommitDecision(
                                "1.1", "t1", List.of(DEBIT, CREDIT), List.of("A", "B"))));
        assertThat(machine.outcome()).isNull();
        assertThat(effectsOf(machine, Event.DECISION_DURABLE))
                .containsExactly(
                        new Effect.SendCommit(AT_A, 0),
                        new Effect.SendCommit(AT_B, 0),
                        new Effect.Reply(Outcome.committed("t1")));
    }

    @Test
    void completesAfterEveryCommitIsAcknowledgedAndRecordsCompletionLazily() {
        commitDecided();
        assertThat(effectsOf(machine, new Event.AckReceived("A"))).isEmpty();
        assertThat(effectsOf(machine, new Event.AckReceived("B")))
                .containsExactly(
                        new Effect.RecordCompletion(new DecisionRecord.Completion("1.1")),
                        new Effect.Complete(Outcome.committed("t1"), false));
        assertThat(machine.state()).isEqualTo(CoordinatorState.COMPLETED);
        assertThat(effectsOf(machine, new Event.AckReceived("B"))).isEmpty();
    }

    @Test
    void abortsWhenAnyBankVotesNoAndRollsBackTheBranchThatVotedCommit() {
        effectsOf(machine, Event.START);
        assertThat(effectsOf(machine, new Event.VoteReceived("B", Vote.abort(Reason.BALANCE_OVERFLOW))))
                .as("the reason waits for A's vote")
                .isEmpty();
        assertThat(machine.state()).isEqualTo(CoordinatorState.ABORTING);
        assertThat(effectsOf(machine, new Event.VoteReceived("A", Vote.COMMIT)))
                .containsExactly(
                        new Effect.SendRollback(AT_A, 0),
                        new Effect.CancelPrepareTimer(),
                        new Effect.RecordOutcome(new DecisionRecord.AbortOutcome(
                                "1.1", "t1", Reason.BALANCE_OVERFLOW, List.of(DEBIT, CREDIT))));
        assertThat(effectsOf(machine, new Event.VoteReceived("A", Vote.COMMIT))).isEmpty();
        assertThat(effectsOf(machine, Event.OUTCOME_DURABLE))
                .containsExactly(new Effect.Reply(Outcome.aborted("t1", Reason.BALANCE_OVERFLOW)));
        assertThat(effectsOf(machine, new Event.AckReceived("A")))
                .containsExactly(new Effect.Complete(Outcome.aborted("t1", Reason.BALANCE_OVERFLOW), false));
    }

    @Test
    void settlesOnTheSameReasonWhateverOrderTheVotesArriveIn() {
        Event overdrawn = new Event.VoteReceived("A", Vote.abort(Reason.INSUFFICIENT_FUNDS));
        Event overflowing = new Event.VoteReceived("B", Vote.abort(Reason.BALANCE_OVERFLOW));

        assertThat(abortReasonAfter(overdrawn, overflowing)).isEqualTo(Reason.INSUFFICIENT_FUNDS);
        assertThat(abortReasonAfter(overflowing, overdrawn)).isEqualTo(Reason.INSUFFICIENT_FUNDS);
    }

    @Test
    void ranksBusinessRefusalsInTheirDeclaredOrderBeforeAFailedPrepare() {
        Event unknown = new Event.VoteReceived("A", Vote.abort(Reason.UNKNOWN_ACCOUNT));
        Event overdrawn = new Event.VoteReceived("B", Vote.abort(Reason.INSUFFICIENT_FUNDS));
        Event failed = new Event.PrepareFailed("A");
        Event overflowing = new Event.VoteReceived("B", Vote.abort(Reason.BALANCE_OVERFLOW));

        assertThat(abortReasonAfter(overdrawn, unknown)).isEqualTo(Reason.UNKNOWN_ACCOUNT);
        assertThat(abortReasonAfter(unknown, overdrawn)).isEqualTo(Reason.UNKNOWN_ACCOUNT);
        assertThat(abortReasonAfter(failed, overflowing)).isEqualTo(Reason.BALANCE_OVERFLOW);
        assertThat(abortReasonAfter(overflowing, failed)).isEqualTo(Reason.BALANCE_OVERFLOW);
    }

    @Test
    void rollsBackACommitVoterAtOnceButRecordsTheAbortOnlyWhenEveryVoteIsIn() {
        Posting toBob = new Posting("bob", 6);
        Posting toCarol = new Posting("carol", 4);
        List<Posting> postings = List.of(DEBIT, toBob, toCarol);
        TransactionMachine threeBanks = new TransactionMachine(
                "1.4",
                "t4",
                postings,
                List.of(
                        new Branch("A", List.of(DEBIT)),
                        new Branch("B", List.of(toBob)),
                        new Branch("C", List.of(toCarol))),
                3);
        effectsOf(threeBanks, Event.START);
        effectsOf(threeBanks, new Event.VoteReceived("A", Vote.COMMIT));

        assertThat(effectsOf(threeBanks, new Event.VoteReceived("B", Vote.abort(Reason.BALANCE_OVERFLOW))))
                .containsExactly(new Effect.SendRollback(new Xid("1.4", "A"), 0));
        assertThat(effectsOf(threeBanks, new Event.AckReceived("A"))).isEmpty();
        assertThatThrownBy(() -> effectsOf(threeBanks, Event.OUTCOME_DURABLE))
                .as("no outcome was recorded yet")
                .isInstanceOf(IllegalStateException.class);
        assertThat(effectsOf(threeBanks, new Event.VoteReceived("C", Vote.abort(Reason.INSUFFICIENT_FUNDS))))
                .containsExactly(
                        new Effect.CancelPrepareTimer(),
                        new Effect.RecordOutcome(
                                new DecisionRecord.AbortOutcome("1.4", "t4", Reason.INSUFFICIENT_FUNDS, postings)));
        assertThat(effectsOf(threeBanks, Event.OUTCOME_DURABLE))
                .containsExactly(
                        new Effect.Reply(Outcome.aborted("t4", Reason.INSUFFICIENT_FUNDS)),
                        new Effect.Complete(Outcome.aborted("t4", Reason.INSUFFICIENT_FUNDS), false));
    }

    @Test
    void abortsWithTheBestReasonHeardWhenTheDeadlinePassesAfterAVoteAgainst() {
        effectsOf(machine, Event.START);
        effectsOf(machine, new Event.VoteReceived("B", Vote.abort(Reason.BALANCE_OVERFLOW)));

        assertThat(effectsOf(machine, Event.PREPARE_TIMED_OUT))
                .containsExactly(
                        new Effect.CancelPrepareTimer(),
                        new Effect.SendRollback(AT_A, 0),
                        new Effect.RecordOutcome(new DecisionRecord.AbortOutcome(
                                "1.1", "t1", Reason.BALANCE_OVERFLOW, List.of(DEBIT, CREDIT))));
        assertThat(effectsOf(machine, new Event.VoteReceived("A", Vote.abort(Reason.INSUFFICIENT_FUNDS))))
                .as("a vote after the deadline changes nothing")
                .isEmpty();
        effectsOf(machine, Event.OUTCOME_DURABLE);
        assertThat(machine.outcome()).isEqualTo(Outcome.aborted("t1", Reason.BALANCE_OVERFLOW));
    }

    @Test
    void prefersAFailedPrepareToAMissingVoteAtTheDeadline() {
        effectsOf(machine, Event.START);
        effectsOf(machine, new Event.PrepareFailed("B"));
        effectsOf(machine, Event.PREPARE_TIMED_OUT);
        effectsOf(machine, Event.OUTCOME_DURABLE);

        assertThat(machine.outcome()).isEqualTo(Outcome.aborted("t1", Reason.BANK_UNAVAILABLE));
    }

    @Test
    void rollsBackABranchThatADuplicatedPrepareReopenedAfterItsAbortVote() {
        effectsOf(machine, Event.START);
        effectsOf(machine, new Event.VoteReceived("B", Vote.abort(Reason.BALANCE_OVERFLOW)));
        effectsOf(machine, new Event.VoteReceived("A", Vote.COMMIT));
        effectsOf(machine, Event.OUTCOME_DURABLE);

        assertThat(effectsOf(machine, new Event.VoteReceived("B", Vote.COMMIT)))
                .containsExactly(new Effect.SendRollback(AT_B, 0));
        effectsOf(machine, new Event.AckReceived("A"));
        assertThat(machine.state()).as("waits for the extra rollback too").isEqualTo(CoordinatorState.ABORTING);
        assertThat(effectsOf(machine, new Event.AckReceived("B")))
                .containsExactly(new Effect.Complete(Outcome.aborted("t1", Reason.BALANCE_OVERFLOW), false));
    }

    @Test
    void rollsBackABranchWhoseLatePrepareFailedSinceItMayHavePreparedAnew() {
        effectsOf(machine, Event.START);
        effectsOf(machine, new Event.VoteReceived("B", Vote.abort(Reason.INSUFFICIENT_FUNDS)));

        assertThat(effectsOf(machine, new Event.PrepareFailed("B"))).containsExactly(new Effect.SendRollback(AT_B, 0));
    }

    @Test
    void rollsBackAReadOnlyBranchThatLaterVotesCommitSinceNoDecisionNamesIt() {
        effectsOf(machine, Event.START);
        effectsOf(machine, new Event.VoteReceived("A", Vote.READ_ONLY));
        effectsOf(machine, new Event.VoteReceived("B", Vote.COMMIT));

        assertThat(effectsOf(machine, new Event.VoteReceived("A", Vote.COMMIT)))
                .containsExactly(new Effect.SendRollback(AT_A, 0));
        assertThat(effectsOf(machine, new Event.VoteReceived("B", Vote.COMMIT))).isEmpty();
    }

    @Test
    void abortsWithTimeoutWhenAVoteIsMissingAtTheDeadline() {
        effectsOf(machine, Event.START);
        effectsOf(machine, new Event.VoteReceived("A", Vote.COMMIT));
        List<Effect> effects = effectsOf(machine, Event.PREPARE_TIMED_OUT);
        assertThat(effects)
                .contains(new Effect.SendRollback(AT_A, 0), new Effect.SendRollback(AT_B, 0))
                .anySatisfy(effect -> assertThat(effect).isInstanceOf(Effect.RecordOutcome.class));
        assertThat(effectsOf(machine, Event.OUTCOME_DURABLE))
                .containsExactly(new Effect.Reply(Outcome.aborted("t1", Reason.TIMEOUT)));
    }

    @Test
    void abortsWithBankUnavailableWhenAPrepareFailsAndRollsThatBranchBackToo() {
        effectsOf(machine, Event.START);
        effectsOf(machine, new Event.VoteReceived("A", Vote.COMMIT));
        assertThat(effectsOf(machine, new Event.PrepareFailed("B")))
                .contains(new Effect.SendRollback(AT_A, 0), new Effect.SendRollback(AT_B, 0));
        effectsOf(machine, Event.OUTCOME_DURABLE);
        assertThat(machine.outcome()).isEqualTo(Outcome.aborted("t1", Reason.BANK_UNAVAILABLE));
    }

    @Test
    void ignoresATimeoutAfterTheDecision() {
        effectsOf(machine, Event.START);
        effectsOf(machine, new Event.VoteReceived("A", Vote.COMMIT));
        effectsOf(machine, new Event.VoteReceived("B", Vote.COMMIT));
        assertThat(effectsOf(machine, Event.PREPARE_TIMED_OUT)).isEmpty();
        assertThat(machine.state()).isEqualTo(CoordinatorState.COMMITTING);
    }

    @Test
    void skipsPhaseTwoForReadOnlyBranches() {
        effectsOf(machine, Event.START);
        effectsOf(machine, new Event.VoteReceived("A", Vote.READ_ONLY));
        List<Effect> decision = effectsOf(machine, new Event.VoteReceived("B", Vote.COMMIT));
        assertThat(decision)
                .contains(new Effect.ForceDecision(
                        new DecisionRecord.CommitDecision("1.1", "t1", List.of(DEBIT, CREDIT), List.of("B"))));
        assertThat(effectsOf(machine, Event.DECISION_DURABLE))
                .containsExactly(new Effect.SendCommit(AT_B, 0), new Effect.Reply(Outcome.committed("t1")));
    }

    @Test
    void completesAtOnceWhenEveryBankIsReadOnly() {
        effectsOf(machine, Event.START);
        effectsOf(machine, new Event.VoteReceived("A", Vote.READ_ONLY));
        effectsOf(machine, new Event.VoteReceived("B", Vote.READ_ONLY));
        assertThat(effectsOf(machine, Event.DECISION_DURABLE))
                .containsExactly(
                        new Effect.Reply(Outcome.committed("t1")), new Effect.Complete(Outcome.committed("t1"), false));
    }

    @Test
    void resendsAFailedCommitAndLeavesTheBranchToRecoveryAfterTheLimit() {
        commitDecided();
        effectsOf(machine, new Event.AckReceived("A"));
        assertThat(effectsOf(machine, new Event.PhaseTwoFailed("B"))).containsExactly(new Effect.SendCommit(AT_B, 1));
        assertThat(effectsOf(machine, new Event.PhaseTwoFailed("B"))).containsExactly(new Effect.SendCommit(AT_B, 2));
        assertThat(effectsOf(machine, new Event.PhaseTwoFailed("B")))
                .containsExactly(new Effect.AbandonPhaseTwo(AT_B), new Effect.Complete(Outcome.committed("t1"), true));
    }

    @Test
    void resendsAFailedRollbackAsARollback() {
        effectsOf(machine, Event.START);
        effectsOf(machine, new Event.VoteReceived("A", Vote.COMMIT));
        effectsOf(machine, new Event.VoteReceived("B", Vote.abort(Reason.UNKNOWN_ACCOUNT)));
        assertThat(effectsOf(machine, new Event.PhaseTwoFailed("A"))).containsExactly(new Effect.SendRollback(AT_A, 1));
    }

    @Test
    void refusesWithoutContactingAnyBank() {
        TransactionMachine refused = new TransactionMachine("1.2", "t2", List.of(DEBIT), List.of(), 3);
        assertThat(effectsOf(refused, new Event.Refuse(Reason.UNKNOWN_ACCOUNT)))
                .containsExactly(new Effect.RecordOutcome(
                        new DecisionRecord.AbortOutcome("1.2", "t2", Reason.UNKNOWN_ACCOUNT, List.of(DEBIT))));
        assertThat(effectsOf(refused, Event.OUTCOME_DURABLE))
                .containsExactly(
                        new Effect.Reply(Outcome.aborted("t2", Reason.UNKNOWN_ACCOUNT)),
                        new Effect.Complete(Outcome.aborted("t2", Reason.UNKNOWN_ACCOUNT), false));
    }

    @Test
    void takesTheOnePhasePathOnASingleBank() {
        TransactionMachine onePhase = new TransactionMachine(
                "1.3", "t3", List.of(DEBIT, CREDIT), List.of(new Branch("A", List.of(DEBIT, CREDIT))), 3);
        Xid xid = new Xid("1.3", "A");
        assertThat(effectsOf(onePhase, Event.START)).contains(new Effect.SendPrepare(xid, List.of(DEBIT, CREDIT)));
        assertThat(effectsOf(onePhase, new Event.VoteReceived("A", Vote.COMMIT)))
                .contains(new Effect.ForceDecision(
                        new DecisionRecord.CommitDecision("1.3", "t3", List.of(DEBIT, CREDIT), List.of("A"))));
        assertThat(effectsOf(onePhase, Event.DECISION_DURABLE))
                .containsExactly(new Effect.SendCommit(xid, 0), new Effect.Reply(Outcome.committed("t3")));
    }

    @Test
    void treatsAnUnexpectedDurableDecisionAsABug() {
        effectsOf(machine, Event.START);
        assertThatThrownBy(() -> effectsOf(machine, Event.DECISION_DURABLE)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void treatsAVoteFromABankWithoutABranchAsABug() {
        effectsOf(machine, Event.START);
        assertThatThrownBy(() -> effectsOf(machine, new Event.VoteReceived("Z", Vote.COMMIT)))
                .isInstanceOf(IllegalStateException.class);
    }

    /** The reason a fresh two-bank machine records when its banks answer with {@code first}, then {@code second}. */
    private static Reason abortReasonAfter(Event first, Event second) {
        TransactionMachine fresh = new TransactionMachine(
                "1.5",
                "t5",
                List.of(DEBIT, CREDIT),
                List.of(new Branch("A", List.of(DEBIT)), new Branch("B", List.of(CREDIT))),
                3);
        effectsOf(fresh, Event.START);
        assertThat(effectsOf(fresh, first)).noneMatch(effect -> effect instanceof Effect.RecordOutcome);
        assertThat(effectsOf(fresh, second)).anyMatch(effect -> effect instanceof Effect.RecordOutcome);
        effectsOf(fresh, Event.OUTCOME_DURABLE);
        return fresh.outcome().reason();
    }

    private void commitDecided() {
        effectsOf(machine, Event.START);
        effectsOf(machine, new Event.VoteReceived("A", Vote.COMMIT));
        effectsOf(machine, new Event.VoteReceived("B", Vote.COMMIT));
        effectsOf(machine, Event.DECISION_DURABLE);
    }
}
