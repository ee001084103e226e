package io.clearhouse.web.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Map;

/**
 * An RFC 9457 problem: {@code type}, {@code title}, {@code status}, {@code detail}, plus the Clearhouse {@code
 * reason} code and the offending {@code field} when there is one.
 *
 * @param reason a reason code such as {@code INVALID_AMOUNT}, or {@code null} for a plain HTTP error
 * @param field the request field at fault (a JSON pointer-like path such as {@code postings[1].amount}), or null
 */
public record Problem(int status, String title, String detail, String reason, String field) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The problem type: a URN per reason code, or {@code about:blank} for a plain HTTP status. */
    public String type() {
        return reason == null
                ? "about:blank"
                : "urn:clearhouse:problem:" + reason.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Response toResponse() {
        return toResponse(Map.of());
    }

    /** The response with members beyond the standard ones, such as the {@code leader} a follower names. */
    public Response toResponse(Map<String, String> extensions) {
        return Response.status(status).type(MEDIA_TYPE).entity(json(extensions)).build();
    }

    /** The body alone, for answers written outside JAX-RS, such as by a servlet filter. */
    public String json() {
        return json(Map.of());
    }

    private String json(Map<String, String> extensions) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", type());
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (reason != null) {
            body.put("reason", reason);
        }
        if (field != null) {
            body.put("field", field);
        }
        extensions.forEach(body::put);
        return body.toString();
    }
}
