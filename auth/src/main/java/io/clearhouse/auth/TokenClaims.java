package io.clearhouse.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * What a Clearhouse token says: who issued it, whom it names, the roles it grants, when it was issued and until when
 * it counts, and its own id.
 *
 * @param issuer the {@code iss} claim
 * @param subject the {@code sub} claim, which becomes the request's principal
 * @param roles the {@code groups} claim
 * @param id the {@code jti} claim
 */
public record TokenClaims(
        String issuer, String subject, Set<Role> roles, Instant issuedAt, Instant expiresAt, String id) {
    public static final String DEFAULT_ISSUER = "clearhouse";

    /** New claims issued at {@code issuedAt} for {@code ttl}, with a random id. */
    public static TokenClaims issue(String issuer, String subject, Set<Role> roles, Instant issuedAt, Duration ttl) {
        return new TokenClaims(
                issuer,
                subject,
                roles,
                issuedAt,
                issuedAt.plus(ttl),
                UUID.randomUUID().toString());
    }

    public TokenClaims {
        roles = Set.copyOf(roles);
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("a token must expire after it is issued");
        }
    }
}
