package io.clearhouse.web;

import io.clearhouse.api.Reason;
import io.clearhouse.web.problem.ProblemException;
import java.util.Optional;

/** The {@code Idempotency-Key} header's rules: 1 to 255 visible ASCII characters, so any store and log can keep it. */
final class IdempotencyKeys {
    static final int LENGTH_MAX = 255;

    private IdempotencyKeys() {}

    /** The key, empty without the header; a key that breaks the rules is refused with {@code 400}. */
    static Optional<String> checked(String header) {
        if (header == null) {
            return Optional.empty();
        }
        if (header.isEmpty() || header.length() > LENGTH_MAX) {
            throw invalid("must have 1 to " + LENGTH_MAX + " characters, not " + header.length());
        }
        for (int index = 0; index < header.length(); index++) {
            char character = header.charAt(index);
            if (character < 0x21 || character > 0x7e) {
                throw invalid("may hold only visible ASCII characters (no spaces); character " + (index + 1) + " is U+"
                        + String.format("%04X", (int) character));
            }
        }
        return Optional.of(header);
    }

    private static ProblemException invalid(String rule) {
        return ProblemException.invalid(
                Reason.INVALID_FORMAT, BatchResource.IDEMPOTENCY_KEY, "the header Idempotency-Key " + rule);
    }
}
