package io.clearhouse.core.protocol;

import io.clearhouse.api.Reason;
import io.clearhouse.spi.Vote;
import java.util.Objects;

/** What can happen to a transaction: the inputs of {@link TransactionMachine#step}. */
public sealed interface Event {
    /** The single {@link Start} event. */
    Start START = new Start();
    /** The single {@link PrepareTimedOut} event. */
    PrepareTimedOut PREPARE_TIMED_OUT = new PrepareTimedOut();
    /** The single {@link DecisionDurable} event. */
    DecisionDurable DECISION_DURABLE = new DecisionDurable();
    /** The single {@link OutcomeDurable} event. */
    OutcomeDurable OUTCOME_DURABLE = new OutcomeDurable();

    /** Begin: send prepares to every bank. */
    record Start() implements Event {}

    /** The transaction cannot be attempted (an unknown account, a broken rule): abort before any bank sees it. */
    record Refuse(Reason reason) implements Event {
        public Refuse {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A bank answered a prepare. */
    record VoteReceived(String bankId, Vote vote) implements Event {}

    /** A prepare call failed with an infrastructure error. */
    record PrepareFailed(String bankId) implements Event {}

    /** The prepare deadline passed. */
    record PrepareTimedOut() implements Event {}

    /** The commit decision is durable. */
    record DecisionDurable() implements Event {}

    /** The abort outcome is durable. */
    record OutcomeDurable() implements Event {}

    /** A bank acknowledged a commit or rollback. */
    record AckReceived(String bankId) implements Event {}

    /** A commit or rollback call failed with an infrastructure error. */
    record PhaseTwoFailed(String bankId) implements Event {}
}
