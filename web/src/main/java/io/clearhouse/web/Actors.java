package io.clearhouse.web;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** Who asks for a manual action, as the audit trail records it. */
final class Actors {
    /** The actor of a request without authentication. */
    static final String ANONYMOUS = "anonymous";

    private Actors() {}

    /** The authenticated principal's name (a token's subject), or {@link #ANONYMOUS} when there is none. */
    static String of(SecurityContext security) {
        Principal principal = security == null ? null : security.getUserPrincipal();
        return principal == null ? ANONYMOUS : principal.getName();
    }
}
