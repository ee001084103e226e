package io.clearhouse.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.auth.Role;
import io.clearhouse.auth.TokenClaims;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSecurityContextTest {
    private final TokenClaims claims = new TokenClaims(
            "clearhouse",
            "ada",
            Set.of(Role.TRANSFER, Role.READ),
            Instant.parse("2026-12-07T08:00:00Z"),
            Instant.parse("2026-12-07T09:00:00Z"),
            "jti");

    @Test
    void makesTheTokensSubjectThePrincipalAndItsGroupsTheRoles() {
        TokenSecurityContext context = new TokenSecurityContext(claims, true);

        assertThat(context.getUserPrincipal().getName()).isEqualTo("ada");
        assertThat(context.isUserInRole("transfer")).isTrue();
        assertThat(context.isUserInRole("read")).isTrue();
        assertThat(context.isUserInRole("operator")).isFalse();
        assertThat(context.isUserInRole("admin")).isFalse();
        assertThat(context.getAuthenticationScheme()).isEqualTo("Bearer");
        assertThat(context.isSecure()).isTrue();
    }
}
