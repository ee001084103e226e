package io.clearhouse.web.security;

import io.clearhouse.auth.Role;
import io.clearhouse.auth.TokenClaims;
import io.clearhouse.auth.TokenVerifier.Verification;
import io.clearhouse.web.problem.Problem;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.stream.Collectors;

/**
 * Checks the bearer token of every API request before it is matched to a resource, so that an unknown path is
 * refused like a known one: 401 {@code UNAUTHENTICATED} without a valid token, 403 {@code FORBIDDEN} when the token
 * lacks the role {@link AccessRules} names. A request it lets through carries the token's subject as its principal.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {
    private static final String BEARER = "Bearer";
    private static final String API_ROOT = "/api/";

    @Inject
    Authentication authentication;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!authentication.enforced()) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER + " ", 0, BEARER.length() + 1)) {
            request.abortWith(unauthenticated("the request has no bearer token (Authorization: Bearer TOKEN)"));
            return;
        }
        if (authentication.verifier().isEmpty()) {
            request.abortWith(unauthenticated(authentication.missingKeyProblem()));
            return;
        }
        Verification verification = authentication
                .verifier()
                .get()
                .verify(header.substring(BEARER.length() + 1).strip());
        if (verification instanceof Verification.Refused refused) {
            request.abortWith(unauthenticated(refused.why()));
            return;
        }
        TokenClaims claims = ((Verification.Verified) verification).claims();
        // The rules name paths from the application's path, wherever the WAR's context root is.
        String path = API_ROOT + request.getUriInfo().getPath(true).replaceAll("^/+", "");
        Role needed = AccessRules.required(request.getMethod(), path);
        if (!claims.roles().contains(needed)) {
            request.abortWith(forbidden(claims, needed, request.getMethod() + " " + path));
            return;
        }
        request.setSecurityContext(
                new TokenSecurityContext(claims, request.getSecurityContext().isSecure()));
    }

    private static Response unauthenticated(String detail) {
        return Response.fromResponse(new Problem(401, "Unauthorized", detail, "UNAUTHENTICATED", null).toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, BEARER)
                .build();
    }

    private static Response forbidden(TokenClaims claims, Role needed, String request) {
        String granted = claims.roles().stream().sorted().map(Role::claimName).collect(Collectors.joining(", "));
        return new Problem(
                        403,
                        "Forbidden",
                        request + " needs the role '" + needed.claimName() + "'; the token of '" + claims.subject()
                                + "' grants [" + granted + "]",
                        "FORBIDDEN",
                        null)
                .toResponse();
    }
}
