package io.clearhouse.core.protocol;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.spi.Xid;
import java.util.List;

/**
 * What the runtime must do for a transaction: the outputs of {@link TransactionMachine#step}. The machine emits an
 * effect only once everything it depends on has happened (a commit only after {@link Event.DecisionDurable}, a
 * reply only after the outcome is durable), so a runtime may execute the effects of one step in any order.
 */
public sealed interface Effect {
    /** The single {@link StartPrepareTimer} effect. */
    StartPrepareTimer START_PREPARE_TIMER = new StartPrepareTimer();
    /** The single {@link CancelPrepareTimer} effect. */
    CancelPrepareTimer CANCEL_PREPARE_TIMER = new CancelPrepareTimer();

    /** Ask a bank to prepare its branch. */
    record SendPrepare(Xid xid, List<Posting> postings) implements Effect {}

    /** Start the prepare deadline; when it passes, deliver {@link Event.PrepareTimedOut}. */
    record StartPrepareTimer() implements Effect {}

    /** Every vote is in, so the deadline no longer matters. */
    record CancelPrepareTimer() implements Effect {}

    /** Force the commit decision; deliver {@link Event.DecisionDurable} once it is durable. */
    record ForceDecision(DecisionRecord.CommitDecision record) implements Effect {}

    /** Make the abort outcome durable (group commit); deliver {@link Event.OutcomeDurable} once it is. */
    record RecordOutcome(DecisionRecord.AbortOutcome record) implements Effect {}

    /** Tell a bank to commit; {@code attempt} counts earlier failures, so the runtime can back off. */
    record SendCommit(Xid xid, int attempt) implements Effect {}

    /** Tell a bank to roll back; {@code attempt} counts earlier failures, so the runtime can back off. */
    record SendRollback(Xid xid, int attempt) implements Effect {}

    /** Answer the client: its outcome is durable. */
    record Reply(Outcome outcome) implements Effect {}

    /** Append the completion record lazily. */
    record RecordCompletion(DecisionRecord.Completion record) implements Effect {}

    /** Phase two gave up on a branch after its retry limit; it stays in doubt until recovery resolves it. */
    record AbandonPhaseTwo(Xid xid) implements Effect {}

    /**
     * The transaction is over. {@code inDoubt} is true when some branch was abandoned, so its effect is not yet
     * visible at that bank.
     */
    record Complete(Outcome outcome, boolean inDoubt) implements Effect {}
}
