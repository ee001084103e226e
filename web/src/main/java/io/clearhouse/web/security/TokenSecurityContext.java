package io.clearhouse.web.security;

import io.clearhouse.auth.Role;
import io.clearhouse.auth.TokenClaims;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** A request made with a verified token: its subject is the principal, its roles are the user's roles. */
final class TokenSecurityContext implements SecurityContext {
    private final TokenClaims claims;
    private final boolean secure;

    TokenSecurityContext(TokenClaims claims, boolean secure) {
        this.claims = claims;
        this.secure = secure;
    }

    @Override
    public Principal getUserPrincipal() {
        return claims::subject;
    }

    @Override
    public boolean isUserInRole(String role) {
        return Role.fromClaimName(role).map(claims.roles()::contains).orElse(false);
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return "Bearer";
    }
}
