package io.clearhouse.bench;

import io.clearhouse.auth.Role;
import io.clearhouse.auth.SigningKeys;
import io.clearhouse.auth.TokenClaims;
import io.clearhouse.auth.TokenWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;

/**
 * The bearer tokens the benchmarks send to servers of {@code serve} and {@code cluster}, which require them: one of
 * {@code CLEARHOUSE_TOKEN} for a server started by hand, or one signed with the key pair of the data directory a
 * benchmark started its cluster in.
 */
final class BenchTokens {
    static final String TOKEN_VARIABLE = "CLEARHOUSE_TOKEN";
    private static final Duration TTL = Duration.ofHours(24);

    private BenchTokens() {}

    /** {@code Bearer} and the token of {@code CLEARHOUSE_TOKEN}, or an empty string when it is not set. */
    static String fromEnvironment() {
        String token = System.getenv(TOKEN_VARIABLE);
        return token == null || token.isBlank() ? "" : "Bearer " + token.strip();
    }

    /** {@code Bearer} and a token with every role signed with the pair in {@code dataDirectory/auth}. */
    static String signedFor(Path dataDirectory) {
        try {
            SigningKeys keys = new SigningKeys(dataDirectory.resolve("auth"));
            TokenClaims claims = TokenClaims.issue(
                    TokenClaims.DEFAULT_ISSUER, "bench", EnumSet.allOf(Role.class), Instant.now(), TTL);
            return "Bearer " + new TokenWriter(keys.readPrivateKey()).write(claims);
        } catch (IOException e) {
            throw new UncheckedIOException("no signing key pair in " + dataDirectory + " yet", e);
        }
    }
}
