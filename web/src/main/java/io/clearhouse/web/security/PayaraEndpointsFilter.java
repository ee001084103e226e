package io.clearhouse.web.security;

import io.clearhouse.auth.Role;
import io.clearhouse.web.problem.Problem;
import io.clearhouse.web.security.TokenCheck.Outcome;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Lets a request through to Payara's metrics or OpenAPI servlet only with a bearer token carrying {@code role}, and
 * refuses it otherwise as the API refuses its own requests. What it lets through is answered by Payara as before.
 */
final class PayaraEndpointsFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    private final transient Authentication authentication;
    private final Role role;

    PayaraEndpointsFilter(Authentication authentication, Role role) {
        this.authentication = authentication;
        this.role = role;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Outcome outcome = TokenCheck.check(
                authentication,
                Optional.ofNullable(request.getHeader("Authorization")),
                role,
                request.getMethod() + " " + request.getRequestURI());
        if (outcome instanceof Outcome.Refused refused) {
            refuse(response, refused);
        } else {
            chain.doFilter(request, response);
        }
    }

    private static void refuse(HttpServletResponse response, Outcome.Refused refused) throws IOException {
        Problem problem = refused.problem();
        response.setStatus(problem.status());
        if (refused.challenges()) {
            response.setHeader("WWW-Authenticate", TokenCheck.BEARER);
        }
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(problem.json());
    }
}
