package io.clearhouse.web.security;

import io.clearhouse.auth.Role;
import io.clearhouse.web.security.TokenCheck.Outcome;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;

/**
 * Checks the bearer token of every API request before it is matched to a resource, so that an unknown path is
 * refused like a known one: 401 {@code UNAUTHENTICATED} without a valid token, 403 {@code FORBIDDEN} when the token
 * lacks the role {@link AccessRules} names. A request it lets through carries the token's subject as its principal.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {
    private static final String API_ROOT = "/api/";

    @Inject
    Authentication authentication;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!authentication.enforced()) {
            return;
        }
        // The rules name paths from the application's path, wherever the WAR's context root is.
        String path = API_ROOT + request.getUriInfo().getPath(true).replaceAll("^/+", "");
        Role needed = AccessRules.required(request.getMethod(), path);
        Outcome outcome = TokenCheck.check(
                authentication,
                Optional.ofNullable(request.getHeaderString(HttpHeaders.AUTHORIZATION)),
                needed,
                request.getMethod() + " " + path);
        if (outcome instanceof Outcome.Refused refused) {
            request.abortWith(answer(refused));
        } else {
            request.setSecurityContext(new TokenSecurityContext(
                    ((Outcome.Passed) outcome).claims(),
                    request.getSecurityContext().isSecure()));
        }
    }

    private static Response answer(Outcome.Refused refused) {
        Response response = refused.problem().toResponse();
        return refused.challenges()
                ? Response.fromResponse(response)
                        .header(HttpHeaders.WWW_AUTHENTICATE, TokenCheck.BEARER)
                        .build()
                : response;
    }
}
