package io.clearhouse.web;

import io.clearhouse.api.Reason;
import io.clearhouse.web.problem.ProblemException;
import java.util.OptionalLong;

/**
 * Which page of the audit trail {@code GET /api/audit} asks for: {@code limit} entries at most (default {@value
 * #LIMIT_DEFAULT}, at most {@value #LIMIT_MAX}), below the id {@code before} if given.
 */
record AuditPage(int limit, OptionalLong before) {
    static final int LIMIT_DEFAULT = 100;
    static final int LIMIT_MAX = 1_000;

    /** The page the query parameters name, each null when absent; a bad value is a 400 naming its parameter. */
    static AuditPage of(String limit, String before) {
        return new AuditPage(
                limit == null ? LIMIT_DEFAULT : (int) positive("limit", limit, LIMIT_MAX),
                before == null ? OptionalLong.empty() : OptionalLong.of(positive("before", before, Long.MAX_VALUE)));
    }

    private static long positive(String parameter, String text, long max) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = 0;
        }
        if (value < 1 || value > max) {
            throw ProblemException.invalid(
                    Reason.INVALID_FORMAT,
                    parameter,
                    "query parameter " + parameter + " must be an integer in 1.." + max + ", not " + shortened(text));
        }
        return value;
    }

    /** The value as given, cut, since a query string may be long and the detail echoes it. */
    private static String shortened(String text) {
        return text.length() <= 40 ? "'" + text + "'" : "'" + text.substring(0, 40) + "...'";
    }
}
