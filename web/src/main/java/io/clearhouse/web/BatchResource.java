package io.clearhouse.web;

import io.clearhouse.api.Reason;
import io.clearhouse.api.batch.BatchFileParser;
import io.clearhouse.api.batch.BatchLine;
import io.clearhouse.api.batch.BatchTooLargeException;
import io.clearhouse.core.batch.BatchResults;
import io.clearhouse.ejb.CoordinatorBean;
import io.clearhouse.ejb.config.ServerSettings;
import io.clearhouse.web.json.ResponseBodies;
import io.clearhouse.web.problem.Problem;
import io.clearhouse.web.problem.ProblemException;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A batch file (the {@code batch} command's CSV format) run against the live banks: results in line order, equal to
 * running the lines one by one, and the posted balances after it. Bad lines are aborted results, as in the command;
 * the batch's ids are its own namespace.
 */
@Path("batches")
@ApplicationScoped
public class BatchResource {
    @EJB
    CoordinatorBean coordinator;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response run(InputStream body) {
        ServerSettings settings = coordinator.settings();
        List<BatchLine> lines =
                read(body, settings.batchLinesMax(), settings.coordinator().idLengthMax());
        BatchResults results = coordinator.runBatch(lines);
        Map<String, Map<String, Long>> finalState = coordinator.state();
        StreamingOutput output = out -> ResponseBodies.batch(results, finalState, out);
        return Response.ok(output, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Reads lines up to the limit; a body with more is refused there, before the rest is read or anything runs. */
    private static List<BatchLine> read(InputStream body, int linesMax, int idLengthMax) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            return BatchFileParser.parse(reader, linesMax, idLengthMax);
        } catch (BatchTooLargeException e) {
            throw new ProblemException(new Problem(
                    413,
                    "Batch too large",
                    e.getMessage() + "; clearhouse.batch.lines-max sets the limit",
                    Reason.INVALID_FORMAT.name(),
                    null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the batch body", e);
        }
    }
}
