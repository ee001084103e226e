package io.clearhouse.core.engine;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.core.Submission;
import io.clearhouse.core.log.DecisionRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the engine remembers of a client id: the postings it came with, the futures its callers wait on while it is
 * in flight, and its outcome once durable. The futures are dropped when the transaction completes, so that a long
 * run keeps only a few small objects per id; a retry of a finished id gets fresh, completed futures.
 *
 * <p>An attempt made to claim a new id is {@linkplain #checking() checking} until its claimant has asked the decision
 * log whether the id is really new (see {@link Attempts}).
 */
final class Attempt {
    private final List<Posting> postings;
    private volatile Submission submission;
    private volatile Outcome outcome;
    private volatile boolean checking;

    private Attempt(List<Posting> postings, Submission submission, Outcome outcome) {
        this.postings = postings;
        this.submission = submission;
        this.outcome = outcome;
    }

    /** An attempt in flight that claims an id and is checking it against the log. */
    static Attempt claiming(List<Posting> postings) {
        Attempt attempt =
                new Attempt(postings, new Submission(new CompletableFuture<>(), new CompletableFuture<>()), null);
        attempt.checking = true;
        return attempt;
    }

    /** What the decision log recorded of an id this engine no longer remembers, or never ran. */
    static Attempt recorded(DecisionRecord.ClientOutcome record) {
        return new Attempt(record.postings(), null, record.outcome());
    }

    List<Posting> postings() {
        return postings;
    }

    /** The futures of the attempt in flight, or completed ones once it is over. */
    Submission submission() {
        Submission inFlight = submission;
        return inFlight != null ? inFlight : completedSubmission(outcome);
    }

    boolean checking() {
        return checking;
    }

    /** The claimant has checked the log; whoever waits in {@link #awaitChecked()} goes on. */
    synchronized void checked() {
        checking = false;
        notifyAll();
    }

    /** Waits while the claimant checks the log, uninterruptibly, as the check is short; whether it had to wait. */
    boolean awaitChecked() {
        if (!checking) {
            return false;
        }
        boolean interrupted = false;
        synchronized (this) {
            while (checking) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** Whether the decision log failed this attempt's write, so that nobody knows whether its outcome is durable. */
    boolean outcomeUnknown() {
        Submission inFlight = submission;
        return inFlight != null && inFlight.outcome().isCompletedExceptionally();
    }

    /**
     * This failed attempt as the log recorded it after all: the recorded outcome, and this attempt's failed
     * completion, as nobody saw its phase two through.
     */
    Attempt recordedAfterFailure(Outcome recorded) {
        Submission failed = submission;
        return new Attempt(
                postings, new Submission(CompletableFuture.completedFuture(recorded), failed.completion()), recorded);
    }

    /** Whether the attempt is over and its futures are gone: nothing but its outcome is left to keep. */
    boolean isFinished() {
        return submission == null && outcome != null;
    }

    /** The durable outcome, or {@code null} while there is none. */
    Outcome outcome() {
        return outcome;
    }

    /** Completes the outcome future; a no-op when an inline phase two already finished the attempt. */
    void replied(Outcome durableOutcome) {
        outcome = durableOutcome;
        Submission inFlight = submission;
        if (inFlight != null) {
            inFlight.outcome().complete(durableOutcome);
        }
    }

    /** Completes both futures and forgets them; the outcome first, since a caller that sees completion reads it. */
    void finish(Outcome durableOutcome) {
        Submission inFlight = submission;
        outcome = durableOutcome;
        inFlight.outcome().complete(durableOutcome);
        inFlight.completion().complete(durableOutcome);
        submission = null;
    }

    /** Completes the completion future with {@code failure}; the futures stay, so a retry sees the same. */
    void failed(Throwable failure, boolean outcomeToo) {
        Submission inFlight = submission;
        if (outcomeToo) {
            inFlight.outcome().completeExceptionally(failure);
        }
        inFlight.completion().completeExceptionally(failure);
    }

    static Submission completedSubmission(Outcome outcome) {
        CompletableFuture<Outcome> done = CompletableFuture.completedFuture(outcome);
        return new Submission(done, done);
    }
}
