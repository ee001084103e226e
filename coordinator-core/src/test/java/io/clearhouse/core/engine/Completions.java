package io.clearhouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Outcome;
import io.clearhouse.core.Submission;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Waiting for a submission the way the engine tests do. */
final class Completions {
    private Completions() {}

    /** The outcome once the transaction is complete, after checking that both futures agree on it. */
    static Outcome completion(Submission submission) throws Exception {
        Outcome outcome = submission.outcome().get(10, TimeUnit.SECONDS);
        assertThat(submission.completion().get(10, TimeUnit.SECONDS)).isEqualTo(outcome);
        return outcome;
    }

    /** Waits until phase two gives up on some branch of {@code submission} and hands it to recovery. */
    static void awaitPhaseTwoGivenUp(Submission submission) {
        assertThat(submission.completion())
                .failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(PhaseTwoIncompleteException.class);
    }
}
