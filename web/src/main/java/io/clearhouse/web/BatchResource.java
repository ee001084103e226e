package io.clearhouse.web;

import io.clearhouse.api.Reason;
import io.clearhouse.core.batch.BatchResults;
import io.clearhouse.ejb.CoordinatorBean;
import io.clearhouse.ejb.batch.BatchRunClaim;
import io.clearhouse.ejb.batch.BatchRuns;
import io.clearhouse.web.json.ResponseBodies;
import io.clearhouse.web.problem.Problem;
import io.clearhouse.web.problem.ProblemException;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A batch file (the {@code batch} command's CSV format) run against the live banks: results in line order, equal to
 * running the lines one by one, and the posted balances after it. Bad lines are aborted results, as in the command;
 * the batch's ids are its own namespace. With an {@code Idempotency-Key} header, a retry of the same body answers the
 * first run's answer and runs nothing (see docs/api.md).
 */
@Path("batches")
@ApplicationScoped
public class BatchResource {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    @EJB
    CoordinatorBean coordinator;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response run(@HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey, InputStream body) {
        Optional<String> key = IdempotencyKeys.checked(idempotencyKey);
        BatchBody batch = BatchBody.read(body, coordinator.settings());
        Optional<BatchRuns> ledger = key.flatMap(present -> coordinator.batchRuns());
        if (ledger.isEmpty()) {
            return answer(run(batch, key));
        }
        BatchRunClaim claim = ledger.get().claim(key.get(), batch.sha256());
        if (claim instanceof BatchRunClaim.Answered answered) {
            return answer(out -> gunzip(answered.answerGzip(), out));
        }
        if (claim instanceof BatchRunClaim.InProgress) {
            throw conflict(
                    "IN_PROGRESS",
                    "the batch of idempotency key " + key.get()
                            + " is still running; retry when it has finished to get its answer");
        }
        if (claim instanceof BatchRunClaim.OtherBody) {
            throw conflict(
                    Reason.DUPLICATE_ID.name(),
                    "idempotency key " + key.get() + " was used before with another body; nothing ran");
        }
        return answer(runKeeping(batch, key.get(), ledger.get()));
    }

    private StreamingOutput run(BatchBody batch, Optional<String> key) {
        BatchResults results = coordinator.runBatch(batch.lines(), key);
        Map<String, Map<String, Long>> finalState = coordinator.state();
        return out -> ResponseBodies.batch(results, finalState, out);
    }

    /** Runs the key's batch and keeps its answer before answering; a run that fails lets the key go. */
    private StreamingOutput runKeeping(BatchBody batch, String key, BatchRuns ledger) {
        byte[] answerGzip;
        try {
            answerGzip = gzip(run(batch, Optional.of(key)));
        } catch (RuntimeException e) {
            try {
                ledger.release(key);
            } catch (RuntimeException releaseFailure) {
                e.addSuppressed(releaseFailure);
            }
            throw e;
        }
        ledger.complete(key, answerGzip);
        return out -> gunzip(answerGzip, out);
    }

    private static Response answer(StreamingOutput output) {
        return Response.ok(output, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static ProblemException conflict(String reason, String detail) {
        return new ProblemException(new Problem(409, "Idempotency key in use", detail, reason, IDEMPOTENCY_KEY));
    }

    private static byte[] gzip(StreamingOutput answer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            answer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compress the batch's answer", e);
        }
        return bytes.toByteArray();
    }

    private static void gunzip(byte[] answerGzip, OutputStream out) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(answerGzip))) {
            in.transferTo(out);
        }
    }
}
