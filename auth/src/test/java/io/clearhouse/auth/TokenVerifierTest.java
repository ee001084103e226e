package io.clearhouse.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.auth.TokenVerifier.Verification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {
    private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static KeyPair keys;
    private static KeyPair otherKeys;

    @BeforeAll
    static void generateKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        otherKeys = generator.generateKeyPair();
    }

    private static TokenClaims claims(String issuer, Instant issuedAt, Duration ttl, Set<Role> roles) {
        return new TokenClaims(issuer, "ada", roles, issuedAt, issuedAt.plus(ttl), "jti-1");
    }

    private static String token(KeyPair pair, TokenClaims claims) {
        return new TokenWriter(pair.getPrivate()).write(claims);
    }

    private static Verification verify(String token) {
        return new TokenVerifier(keys.getPublic(), "clearhouse", CLOCK).verify(token);
    }

    @Test
    void acceptsWhatTheWriterSignedWithItsSubjectAndRoles() {
        TokenClaims written = claims("clearhouse", NOW, Duration.ofHours(1), Set.of(Role.TRANSFER, Role.READ));

        Verification verification = verify(token(keys, written));

        assertThat(verification).isEqualTo(new Verification.Verified(written));
    }

    @Test
    void refusesATokenSignedByAnotherKey() {
        String token = token(otherKeys, claims("clearhouse", NOW, Duration.ofHours(1), Set.of(Role.READ)));

        assertThat(verify(token))
                .isEqualTo(new Verification.Refused("the token's signature does not match the server's key"));
    }

    @Test
    void refusesAnotherIssuer() {
        String token = token(keys, claims("elsewhere", NOW, Duration.ofHours(1), Set.of(Role.READ)));

        assertThat(verify(token))
                .isEqualTo(new Verification.Refused("the token's issuer 'elsewhere' is not 'clearhouse'"));
    }

    @Test
    void refusesAnExpiredTokenPastTheMinuteOfLeeway() {
        Instant issued = NOW.minus(Duration.ofHours(2));
        String barely =
                token(keys, claims("clearhouse", issued, Duration.ofHours(2).minusSeconds(59), Set.of()));
        String expired =
                token(keys, claims("clearhouse", issued, Duration.ofHours(2).minusSeconds(60), Set.of()));

        assertThat(verify(barely)).isInstanceOf(Verification.Verified.class);
        assertThat(verify(expired)).isInstanceOf(Verification.Refused.class);
        assertThat(((Verification.Refused) verify(expired)).why()).startsWith("the token expired at");
    }

    @Test
    void refusesAPayloadChangedAfterSigning() {
        String[] parts = token(keys, claims("clearhouse", NOW, Duration.ofHours(1), Set.of(Role.READ)))
                .split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"read\"", "\"operator\"");
        String forged = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];

        assertThat(verify(forged)).isInstanceOf(Verification.Refused.class);
    }

    @Test
    void refusesAnUnsignedToken() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String[] parts = token(keys, claims("clearhouse", NOW, Duration.ofHours(1), Set.of(Role.OPERATOR)))
                .split("\\.");

        assertThat(verify(header + "." + parts[1] + "."))
                .isEqualTo(new Verification.Refused("the token is not signed with RS256"));
    }

    @Test
    void refusesGarbageAndOverlongTokensWithoutThrowing() {
        assertThat(verify("garbage")).isInstanceOf(Verification.Refused.class);
        assertThat(verify("a.b.c")).isInstanceOf(Verification.Refused.class);
        assertThat(verify("!!.??.**")).isInstanceOf(Verification.Refused.class);
        assertThat(verify("x".repeat(TokenVerifier.TOKEN_CHARACTERS_MAX + 1)))
                .isEqualTo(new Verification.Refused("the token is longer than 8192 characters"));
    }

    @Test
    void signsAndVerifiesWithTheKeyFilesOfADirectory(@TempDir Path directory) throws Exception {
        SigningKeys files = new SigningKeys(directory.resolve("auth"));
        files.createIfMissing();
        TokenClaims written = claims("clearhouse", NOW, Duration.ofHours(1), Set.of(Role.OPERATOR));

        String token = new TokenWriter(files.readPrivateKey()).write(written);

        assertThat(new TokenVerifier(files.readPublicKey(), "clearhouse", CLOCK).verify(token))
                .isEqualTo(new Verification.Verified(written));
    }
}
