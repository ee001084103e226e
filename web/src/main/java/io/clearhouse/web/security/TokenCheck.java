package io.clearhouse.web.security;

import io.clearhouse.auth.Role;
import io.clearhouse.auth.TokenClaims;
import io.clearhouse.auth.TokenVerifier.Verification;
import io.clearhouse.web.problem.Problem;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one check of a request's bearer token against the role the request needs, shared by the API's filter and the
 * filter in front of Payara's {@code /metrics} and {@code /openapi}, so that both refuse alike: 401 {@code
 * UNAUTHENTICATED} without a valid token, 403 {@code FORBIDDEN} when the token lacks the role.
 */
final class TokenCheck {
    static final String BEARER = "Bearer";

    /** What the check found. */
    sealed interface Outcome {
        /** A valid token that carries the role. */
        record Passed(TokenClaims claims) implements Outcome {}

        /**
         * The answer to give instead of serving the request.
         *
         * @param challenges whether the answer is a 401, which must carry {@code WWW-Authenticate: Bearer}
         */
        record Refused(Problem problem, boolean challenges) implements Outcome {}
    }

    private TokenCheck() {}

    /**
     * @param authorization the request's {@code Authorization} header, empty when it has none
     * @param request the method and path, as the 403's detail names the request
     */
    static Outcome check(Authentication authentication, Optional<String> authorization, Role needed, String request) {
        if (authorization.isEmpty()
                || !authorization.get().regionMatches(true, 0, BEARER + " ", 0, BEARER.length() + 1)) {
            return unauthenticated("the request has no bearer token (Authorization: Bearer TOKEN)");
        }
        if (authentication.verifier().isEmpty()) {
            return unauthenticated(authentication.missingKeyProblem());
        }
        Verification verification = authentication
                .verifier()
                .get()
                .verify(authorization.get().substring(BEARER.length() + 1).strip());
        if (verification instanceof Verification.Refused refused) {
            return unauthenticated(refused.why());
        }
        TokenClaims claims = ((Verification.Verified) verification).claims();
        if (!claims.roles().contains(needed)) {
            return forbidden(claims, needed, request);
        }
        return new Outcome.Passed(claims);
    }

    private static Outcome unauthenticated(String detail) {
        return new Outcome.Refused(new Problem(401, "Unauthorized", detail, "UNAUTHENTICATED", null), true);
    }

    private static Outcome forbidden(TokenClaims claims, Role needed, String request) {
        String granted = claims.roles().stream().sorted().map(Role::claimName).collect(Collectors.joining(", "));
        return new Outcome.Refused(
                new Problem(
                        403,
                        "Forbidden",
                        request + " needs the role '" + needed.claimName() + "'; the token of '" + claims.subject()
                                + "' grants [" + granted + "]",
                        "FORBIDDEN",
                        null),
                false);
    }
}
