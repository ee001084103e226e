package io.clearhouse.ejb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.core.Submission;
import io.clearhouse.ejb.CoordinatorUnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplyTest {
    private static final long LONG_MILLIS = 60_000;
    private static final long SHORT_MILLIS = 50;

    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final CompletableFuture<Outcome> completion = new CompletableFuture<>();
    private final Submission submission = new Submission(outcome, completion);

    @Test
    void answersOnlyOnceEveryBankAppliedTheOutcome() {
        CompletableFuture<Outcome> answer = Reply.to("t1", submission, LONG_MILLIS);
        outcome.complete(Outcome.committed("t1"));
        assertFalse(answer.isDone(), "a client that reads after the reply must see its transfer applied");
        completion.complete(Outcome.committed("t1"));
        assertEquals(Outcome.committed("t1"), answer.join());
    }

    @Test
    void answersTheDurableOutcomeAloneWhenPhaseTwoOutlastsTheTimeout() {
        outcome.complete(Outcome.aborted("t2", Reason.INSUFFICIENT_FUNDS));
        CompletableFuture<Outcome> answer = Reply.to("t2", submission, SHORT_MILLIS);
        assertEquals(Outcome.aborted("t2", Reason.INSUFFICIENT_FUNDS), Reply.await(answer));
        assertFalse(completion.isDone());
    }

    @Test
    void answersTheOutcomeAtOnceWhenPhaseTwoFails() throws Exception {
        CompletableFuture<Outcome> answer = Reply.to("t3", submission, LONG_MILLIS);
        outcome.complete(Outcome.committed("t3"));
        completion.completeExceptionally(new IllegalStateException("bank b2 is down"));
        assertEquals(Outcome.committed("t3"), answer.get(LONG_MILLIS, TimeUnit.MILLISECONDS));
    }

    @Test
    void isUnavailableWhenNoOutcomeIsDurableWithinTheTimeout() {
        CompletableFuture<Outcome> answer = Reply.to("t4", submission, SHORT_MILLIS);
        ExecutionException failure = assertThrows(ExecutionException.class, answer::get);
        CoordinatorUnavailableException unavailable = assertThrowsCause(CoordinatorUnavailableException.class, failure);
        assertEquals("no durable outcome for t4 within 50 ms", unavailable.getMessage());
        assertSame(unavailable, assertThrows(CoordinatorUnavailableException.class, () -> Reply.await(answer)));
    }

    @Test
    void isUnavailableWithTheCauseWhenTheTransactionFails() {
        IllegalStateException cause = new IllegalStateException("decision log closed");
        CompletableFuture<Outcome> answer = Reply.to("t5", submission, LONG_MILLIS);
        outcome.completeExceptionally(new CompletionException(cause));
        completion.completeExceptionally(new CompletionException(cause));
        CoordinatorUnavailableException unavailable =
                assertThrows(CoordinatorUnavailableException.class, () -> Reply.await(answer));
        assertEquals("transaction t5 failed: decision log closed", unavailable.getMessage());
        assertSame(cause, unavailable.getCause());
    }

    @Test
    void failsOnlyWithTheUnavailableExceptionUnwrapped() {
        CompletableFuture<Outcome> answer = Reply.to("t6", submission, LONG_MILLIS);
        completion.completeExceptionally(new IllegalStateException("phase two failed"));
        outcome.completeExceptionally(new IllegalStateException("no decision"));
        Throwable failure = answer.handle((ignored, thrown) -> thrown).join();
        assertTrue(failure instanceof CoordinatorUnavailableException, String.valueOf(failure));
        assertEquals("transaction t6 failed: no decision", failure.getMessage());
    }

    private static <T extends Throwable> T assertThrowsCause(Class<T> type, Throwable failure) {
        assertTrue(type.isInstance(failure.getCause()), String.valueOf(failure.getCause()));
        return type.cast(failure.getCause());
    }
}
