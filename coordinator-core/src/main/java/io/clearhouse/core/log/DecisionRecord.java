package io.clearhouse.core.log;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import java.util.List;
import java.util.Objects;

/**
 * One entry of the decision log. Under presumed abort only two kinds of entry carry weight for recovery: a {@link
 * CommitDecision} (its absence means abort) and the {@link AbortOutcome} a client was told; a {@link Completion}
 * only saves recovery from re-driving a finished commit, and an {@link Incarnation} keeps transaction ids unique
 * across restarts.
 */
public sealed interface DecisionRecord {
    /** A record that tells a client's outcome: one per client id, the first written if ever two were. */
    sealed interface ClientOutcome extends DecisionRecord {
        String clientId();

        List<Posting> postings();

        /** The outcome its client was told. */
        Outcome outcome();
    }

    /** Marks one opening of the log; the number is one more than the highest found at open. */
    record Incarnation(long number) implements DecisionRecord {
        public Incarnation {
            if (number <= 0) {
                throw new IllegalArgumentException("an incarnation number is positive: " + number);
            }
        }
    }

    /**
     * The commit decision of one attempt, forced before any commit is sent; it is also the client's outcome.
     *
     * @param globalId the attempt's id, used in every xid of the transaction
     * @param clientId the client's idempotency key
     * @param postings the transaction's postings, so a retried id can be compared after a restart
     * @param participants the banks that voted COMMIT and must be told to commit; empty when all voted READ_ONLY
     */
    record CommitDecision(String globalId, String clientId, List<Posting> postings, List<String> participants)
            implements ClientOutcome {
        public CommitDecision {
            Objects.requireNonNull(globalId, "globalId");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(postings, "postings");
            Objects.requireNonNull(participants, "participants");
        }

        @Override
        public Outcome outcome() {
            return Outcome.committed(clientId);
        }
    }

    /**
     * The abort outcome a client is told, made durable before the reply so a retried id finds it after a crash.
     * Recovery does not need it: a branch without a commit decision is rolled back anyway.
     */
    record AbortOutcome(String globalId, String clientId, Reason reason, List<Posting> postings)
            implements ClientOutcome {
        public AbortOutcome {
            Objects.requireNonNull(globalId, "globalId");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(postings, "postings");
        }

        @Override
        public Outcome outcome() {
            return Outcome.aborted(clientId, reason);
        }
    }

    /** Every participant of a committed attempt acknowledged; written lazily. */
    record Completion(String globalId) implements DecisionRecord {
        public Completion {
            Objects.requireNonNull(globalId, "globalId");
        }
    }
}
