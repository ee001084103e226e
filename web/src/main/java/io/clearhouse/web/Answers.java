package io.clearhouse.web;

import io.clearhouse.api.Completions;
import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.core.RecordedTransaction;
import io.clearhouse.web.json.ResponseBodies;
import io.clearhouse.web.problem.Problem;
import io.clearhouse.web.problem.ProblemException;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** How the API answers a submitted transaction, or a read of one. */
final class Answers {
    private Answers() {}

    /**
     * 200 with the outcome, committed or aborted for a business reason; 409 when the id was used before with other
     * content, which records nothing.
     */
    static Response outcome(Outcome outcome) {
        if (outcome.reason() == Reason.DUPLICATE_ID) {
            return new Problem(
                            409,
                            "Duplicate id",
                            "id " + outcome.transactionId() + " was used before with other content",
                            Reason.DUPLICATE_ID.name(),
                            "id")
                    .toResponse();
        }
        return json(ResponseBodies.outcome(outcome));
    }

    /**
     * Answers {@code response} with {@link #outcome} once {@code answer} completes, from the thread that completes it,
     * or with the problem its failure maps to.
     */
    static void outcomeWhenDone(CompletionStage<Outcome> answer, AsyncResponse response) {
        answer.whenComplete((outcome, failure) -> {
            if (failure != null) {
                response.resume(Completions.cause(failure));
                return;
            }
            try {
                response.resume(outcome(outcome));
            } catch (RuntimeException e) {
                // Thrown here, it would only fail the future nobody reads, and the request would never be answered.
                response.resume(e);
            }
        });
    }

    /** 200 with the recorded transaction as {@code body} writes it; 404 when {@code id} has no durable outcome. */
    static Response recorded(
            String id, Optional<RecordedTransaction> recorded, Function<RecordedTransaction, String> body) {
        return recorded.map(body)
                .map(Answers::json)
                .orElseThrow(
                        () -> ProblemException.notFound("UNKNOWN_TRANSACTION", "no outcome is recorded for " + id));
    }

    static Response json(String body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
