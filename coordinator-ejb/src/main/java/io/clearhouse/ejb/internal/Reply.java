package io.clearhouse.ejb.internal;

import io.clearhouse.api.Completions;
import io.clearhouse.api.Outcome;
import io.clearhouse.core.Submission;
import io.clearhouse.ejb.CoordinatorUnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a client of the server is answered, and when, as a future no thread waits on: the outcome once every bank has
 * applied it, so a client that reads balances after the reply sees its own transfer; or, when the reply timeout
 * passes first, the outcome alone if it is durable by then (phase two goes on and recovery finishes it), and
 * {@link CoordinatorUnavailableException} if it is not.
 *
 * <p>A request thread that blocked on the outcome and then on phase two was put to sleep and woken twice per
 * transfer; the answer now goes out from the thread that completes phase two.
 */
public final class Reply {
    private final String transactionId;
    private final Submission submission;
    private final long timeoutMillis;
    private final CompletableFuture<Outcome> answer = new CompletableFuture<>();

    private Reply(String transactionId, Submission submission, long timeoutMillis) {
        this.transactionId = transactionId;
        this.submission = submission;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The answer to {@code submission} of {@code transactionId}. It fails only with {@link
     * CoordinatorUnavailableException}, never wrapped.
     */
    static CompletableFuture<Outcome> to(String transactionId, Submission submission, long timeoutMillis) {
        Reply reply = new Reply(transactionId, submission, timeoutMillis);
        reply.start();
        return reply.answer;
    }

    /** Waits for {@code answer}, for callers that hold a thread anyway. */
    public static Outcome await(CompletableFuture<Outcome> answer) {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CoordinatorUnavailableException unavailable) {
                throw unavailable;
            }
            throw new IllegalStateException("a reply fails only with CoordinatorUnavailableException", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorUnavailableException("interrupted while waiting for a reply", e);
        }
    }

    private void start() {
        CompletableFuture<Outcome> applied = new CompletableFuture<>();
        submission.completion().whenComplete((outcome, failure) -> {
            if (failure == null) {
                applied.complete(outcome);
            } else {
                // Phase two failing does not change the answer: the outcome stands and recovery finishes it.
                submission.outcome().whenComplete((decided, undecided) -> {
                    if (undecided == null) {
                        applied.complete(decided);
                    } else {
                        applied.completeExceptionally(undecided);
                    }
                });
            }
        });
        applied.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((outcome, failure) -> {
            if (failure == null) {
                answer.complete(outcome);
            } else if (failure instanceof TimeoutException) {
                answerAtDeadline();
            } else {
                answer.completeExceptionally(failed(failure));
            }
        });
    }

    private void answerAtDeadline() {
        CompletableFuture<Outcome> outcome = submission.outcome();
        if (!outcome.isDone()) {
            answer.completeExceptionally(new CoordinatorUnavailableException(
                    "no durable outcome for " + transactionId + " within " + timeoutMillis + " ms"));
        } else if (outcome.isCompletedExceptionally()) {
            outcome.whenComplete((ignored, failure) -> answer.completeExceptionally(failed(failure)));
        } else {
            answer.complete(outcome.join());
        }
    }

    private CoordinatorUnavailableException failed(Throwable failure) {
        Throwable cause = Completions.cause(failure);
        return new CoordinatorUnavailableException(
                "transaction " + transactionId + " failed: " + cause.getMessage(), cause);
    }
}
