package io.clearhouse.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * Checks a bearer token as MicroProfile JWT does for RS256: the signature by the configured public key, the issuer,
 * and the expiry with a minute of leeway for clocks that disagree. The principal's name is {@code upn}, else {@code
 * sub}; the roles are the known names of {@code groups} (others are ignored, as a token may serve other services).
 */
public final class TokenVerifier {
    static final String ALGORITHM = "RS256";
    static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    /** Longer than any token of a few claims and a 4096-bit signature; a header carrying more is refused unread. */
    public static final int TOKEN_CHARACTERS_MAX = 8_192;

    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PublicKey key;
    private final String issuer;
    private final Clock clock;

    public TokenVerifier(PublicKey key, String issuer, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** What the check of one token found. */
    public sealed interface Verification {
        /** A token signed by the key, of the issuer, not expired. */
        record Verified(TokenClaims claims) implements Verification {}

        /** @param why what is wrong with the token, for the problem's detail */
        record Refused(String why) implements Verification {}
    }

    public Verification verify(String token) {
        if (token.length() > TOKEN_CHARACTERS_MAX) {
            return new Verification.Refused("the token is longer than " + TOKEN_CHARACTERS_MAX + " characters");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return new Verification.Refused("the token is not a JSON Web Token (header.payload.signature)");
        }
        try {
            JsonNode header = decode(parts[0]);
            if (!ALGORITHM.equals(header.path("alg").asText())) {
                return new Verification.Refused("the token is not signed with " + ALGORITHM);
            }
            if (!signatureHolds(
                    parts[0] + "." + parts[1], Base64.getUrlDecoder().decode(parts[2]))) {
                return new Verification.Refused("the token's signature does not match the server's key");
            }
            return claims(decode(parts[1]));
        } catch (IllegalArgumentException | IOException e) {
            return new Verification.Refused("the token cannot be read: " + e.getMessage());
        }
    }

    private Verification claims(JsonNode body) {
        String tokenIssuer = body.path("iss").asText("");
        if (!issuer.equals(tokenIssuer)) {
            return new Verification.Refused("the token's issuer '" + tokenIssuer + "' is not '" + issuer + "'");
        }
        String subject = body.path("upn").asText(body.path("sub").asText(""));
        if (subject.isEmpty()) {
            return new Verification.Refused("the token names no subject (upn or sub)");
        }
        if (!body.path("exp").canConvertToLong() || !body.path("iat").canConvertToLong()) {
            return new Verification.Refused("the token lacks a numeric exp or iat");
        }
        Instant expiresAt = Instant.ofEpochSecond(body.get("exp").asLong());
        Instant issuedAt = Instant.ofEpochSecond(body.get("iat").asLong());
        if (!clock.instant().isBefore(expiresAt.plus(CLOCK_SKEW))) {
            return new Verification.Refused("the token expired at " + expiresAt);
        }
        if (!expiresAt.isAfter(issuedAt)) {
            return new Verification.Refused("the token expires before it was issued");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        body.path("groups").forEach(group -> Role.fromClaimName(group.asText()).ifPresent(roles::add));
        return new Verification.Verified(new TokenClaims(
                tokenIssuer,
                subject,
                roles,
                issuedAt,
                expiresAt,
                body.path("jti").asText("")));
    }

    private boolean signatureHolds(String signed, byte[] signatureBytes) {
        try {
            Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM);
            signature.initVerify(key);
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signature.verify(signatureBytes);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static JsonNode decode(String part) throws IOException {
        JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(part));
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a part is not a JSON object");
        }
        return node;
    }
}
