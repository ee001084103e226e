package io.clearhouse.web.problem;

import io.clearhouse.api.Reason;

/** A request the API refuses, carrying the problem to answer with. */
public class ProblemException extends RuntimeException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    /** A 400: the request is invalid and changed nothing. */
    public static ProblemException invalid(Reason reason, String field, String detail) {
        return new ProblemException(new Problem(400, "Invalid request", detail, reason.name(), field));
    }

    /** A 404 for a resource the API does not know. */
    public static ProblemException notFound(String reason, String detail) {
        return new ProblemException(new Problem(404, "Not found", detail, reason, null));
    }

    public Problem problem() {
        return problem;
    }
}
