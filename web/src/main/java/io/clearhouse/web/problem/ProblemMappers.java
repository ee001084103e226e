package io.clearhouse.web.problem;

import io.clearhouse.ejb.CoordinatorUnavailableException;
import io.clearhouse.ejb.NotLeaderException;
import io.clearhouse.ejb.trail.AuditTrailException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every error the API answers is a problem document; these map each kind of failure to one. */
public final class ProblemMappers {
    private ProblemMappers() {}

    /** Refusals the resources decided on. */
    @Provider
    public static final class Refused implements ExceptionMapper<ProblemException> {
        @Override
        public Response toResponse(ProblemException e) {
            return e.problem().toResponse();
        }
    }

    /** A coordinator still starting or too slow: 503, worth retrying with the same id. */
    @Provider
    public static final class Unavailable implements ExceptionMapper<CoordinatorUnavailableException> {
        @Override
        public Response toResponse(CoordinatorUnavailableException e) {
            Problem problem =
                    new Problem(503, "Coordinator unavailable", e.getMessage(), "COORDINATOR_UNAVAILABLE", null);
            return Response.fromResponse(problem.toResponse())
                    .header("Retry-After", "1")
                    .build();
        }
    }

    /** The audit trail's database cannot be written or read: the manual action was not taken. */
    @Provider
    public static final class AuditUnavailable implements ExceptionMapper<AuditTrailException> {
        @Override
        public Response toResponse(AuditTrailException e) {
            return new Problem(503, "Audit trail unavailable", e.getMessage(), "AUDIT_UNAVAILABLE", null).toResponse();
        }
    }

    /**
     * A node of a cluster that does not lead: 421 naming the leader's API URL in {@code leader}, so the client sends
     * the same request there; 503 with {@code Retry-After} while no leader is known.
     */
    @Provider
    public static final class NotLeader implements ExceptionMapper<NotLeaderException> {
        @Override
        public Response toResponse(NotLeaderException e) {
            if (e.leader().isPresent()) {
                return new Problem(421, "Misdirected request", e.getMessage(), "NOT_LEADER", null)
                        .toResponse(Map.of("leader", e.leader().get().toString()));
            }
            Problem problem = new Problem(503, "No leader", e.getMessage(), "NO_LEADER", null);
            return Response.fromResponse(problem.toResponse())
                    .header("Retry-After", "1")
                    .build();
        }
    }

    /** The container's own errors: unknown path, method not allowed, unacceptable media type. */
    @Provider
    public static final class Http implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response.StatusType status = e.getResponse().getStatusInfo();
            return new Problem(status.getStatusCode(), status.getReasonPhrase(), e.getMessage(), null, null)
                    .toResponse();
        }
    }

    /** Anything else is a bug or an infrastructure failure: logged with its stack, answered without it. */
    @Provider
    public static final class Unexpected implements ExceptionMapper<RuntimeException> {
        private static final Logger LOG = Logger.getLogger(Unexpected.class.getName());

        @Override
        public Response toResponse(RuntimeException e) {
            if (e instanceof WebApplicationException web) {
                return new Http().toResponse(web);
            }
            LOG.log(Level.SEVERE, "request failed", e);
            return new Problem(500, "Internal Server Error", "the request failed: " + e, null, null).toResponse();
        }
    }
}
