package io.clearhouse.cli;

import io.clearhouse.auth.Role;
import io.clearhouse.auth.SigningKeys;
import io.clearhouse.auth.TokenClaims;
import io.clearhouse.auth.TokenWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * How {@code serve} and {@code cluster} secure the servers they start: a key pair in the data directory, made on the
 * first start, whose public half the server is told to trust through the MicroProfile JWT keys; and the operator
 * tokens the commands sign for their own requests (a node's readiness).
 */
final class ServerAuth {
    static final String KEYS_DIRECTORY = "auth";
    static final String METRICS_OPENAPI_ROLE_OPTION = "--metrics-openapi-role";
    /** The WAR's setting for the role Payara's {@code /metrics} and {@code /openapi} need. */
    static final String METRICS_OPENAPI_ROLE = "clearhouse.auth.metrics-openapi-role";
    /** Short: the commands sign a fresh token for each request they make. */
    private static final Duration OWN_TOKEN_TTL = Duration.ofMinutes(5);

    private ServerAuth() {}

    static SigningKeys signingKeys(Path dataDirectory) {
        return new SigningKeys(dataDirectory.resolve(KEYS_DIRECTORY));
    }

    /**
     * The settings that make the WAR require tokens signed by {@code keys}, of the default issuer, and a token with
     * {@code metricsOpenApiRole} for {@code /metrics} and {@code /openapi} when present (open when empty).
     */
    static void configure(Properties properties, SigningKeys keys, Optional<Role> metricsOpenApiRole) {
        properties.setProperty(
                "mp.jwt.verify.publickey.location", keys.publicKey().toString());
        properties.setProperty("mp.jwt.verify.issuer", TokenClaims.DEFAULT_ISSUER);
        metricsOpenApiRole.ifPresent(role -> properties.setProperty(METRICS_OPENAPI_ROLE, role.claimName()));
    }

    /**
     * The role of {@value #METRICS_OPENAPI_ROLE_OPTION}, empty when the option is not given.
     *
     * @throws InputFileException when the value names no role
     */
    static Optional<Role> metricsOpenApiRole(Optional<String> option) throws InputFileException {
        if (option.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Role.fromClaimName(option.get())
                .orElseThrow(() -> new InputFileException(
                        "option",
                        Path.of(METRICS_OPENAPI_ROLE_OPTION),
                        "must be one of " + Role.claimNames() + ", not '" + option.get() + "'")));
    }

    /** An {@code Authorization} header value with a short-lived operator token of the command's own. */
    static String operatorAuthorization(SigningKeys keys) throws IOException {
        return authorization(keys, "clearhouse-cli", Set.of(Role.OPERATOR), OWN_TOKEN_TTL);
    }

    /** An {@code Authorization} header value with a token for {@code subject}, signed with {@code keys}. */
    static String authorization(SigningKeys keys, String subject, Set<Role> roles, Duration ttl) throws IOException {
        TokenClaims claims = TokenClaims.issue(TokenClaims.DEFAULT_ISSUER, subject, roles, Instant.now(), ttl);
        return "Bearer " + new TokenWriter(keys.readPrivateKey()).write(claims);
    }
}
