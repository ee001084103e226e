package io.clearhouse.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.auth.Role;
import io.clearhouse.auth.SigningKeys;
import io.clearhouse.auth.TokenClaims;
import io.clearhouse.auth.TokenWriter;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
import io.clearhouse.web.security.AuthenticationSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The WAR on Payara Micro with a verification key configured as an operator would (the standard {@code
 * mp.jwt.verify.publickey.location} and {@code mp.jwt.verify.issuer}), asked with real tokens signed by the key's
 * private half, by another key, expired, of another issuer, or none at all.
 */
@ExtendWith(PostgresExtension.class)
class AuthIT {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final String ISSUER = "auth-it";

    private static SigningKeys keys;
    private static SigningKeys otherKeys;
    private static PayaraMicroProcess server;
    private static Api anonymous;

    @BeforeAll
    static void startServerWithAKey(PostgresDatabase cluster) throws Exception {
        Path directory = Path.of("target", "auth-it").toAbsolutePath();
        ServerFiles.recreate(directory);
        keys = new SigningKeys(directory.resolve("keys"));
        keys.createIfMissing();
        otherKeys = new SigningKeys(directory.resolve("other-keys"));
        otherKeys.createIfMissing();
        Path banksFile = ServerFiles.writeBanksFile(directory, ServerFixture.banks());
        Path properties = ServerFiles.writeSystemProperties(
                directory,
                banksFile,
                cluster.createFresh(),
                Map.of(
                        AuthenticationSettings.PUBLIC_KEY_LOCATION,
                        keys.publicKey().toString(),
                        AuthenticationSettings.ISSUER,
                        ISSUER));
        server = PayaraMicroProcess.start(properties, directory);
        anonymous = server.awaitReady(READY_TIMEOUT);
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private static String token(SigningKeys signer, String issuer, Instant issuedAt, Duration ttl, Role... roles)
            throws Exception {
        TokenClaims claims = new TokenClaims(issuer, "ada", Set.of(roles), issuedAt, issuedAt.plus(ttl), "jti");
        return new TokenWriter(signer.readPrivateKey()).write(claims);
    }

    private static Api as(Role... roles) throws Exception {
        return anonymous.withToken(token(keys, ISSUER, Instant.now(), Duration.ofHours(1), roles));
    }

    private static String transfer(String id) {
        return "{\"id\":\"" + id + "\",\"from\":\"" + ServerFixture.account("1", 30) + "\",\"to\":\""
                + ServerFixture.account("2", 30) + "\",\"amount\":5}";
    }

    private static void assertUnauthenticated(Api.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(401);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("reason").textValue()).isEqualTo("UNAUTHENTICATED");
        assertThat(answer.json().get("status").intValue()).isEqualTo(401);
        assertThat(answer.wwwAuthenticate()).isEqualTo("Bearer");
    }

    @Test
    void refusesARequestWithoutATokenAs401() {
        Api.Answer answer = anonymous.get("api/state");

        assertUnauthenticated(answer);
        assertThat(answer.json().get("detail").textValue()).contains("no bearer token");
        assertUnauthenticated(anonymous.postJson("api/transfers", transfer("auth-anonymous")));
        assertUnauthenticated(anonymous.get("api/no-such-resource"));
    }

    @Test
    void refusesGarbageExpiredForeignAndWronglySignedTokensAs401() throws Exception {
        Instant now = Instant.now();
        String expired = token(keys, ISSUER, now.minus(Duration.ofHours(3)), Duration.ofHours(1), Role.READ);
        String otherIssuer = token(keys, "someone-else", now, Duration.ofHours(1), Role.READ);
        String otherKey = token(otherKeys, ISSUER, now, Duration.ofHours(1), Role.READ);

        assertUnauthenticated(anonymous.withToken("garbage").get("api/state"));
        assertUnauthenticated(anonymous.withToken(expired).get("api/state"));
        assertUnauthenticated(anonymous.withToken(otherIssuer).get("api/state"));
        assertUnauthenticated(anonymous.withToken(otherKey).get("api/state"));
        assertThat(anonymous
                        .withToken(expired)
                        .get("api/state")
                        .json()
                        .get("detail")
                        .textValue())
                .startsWith("the token expired at");
    }

    @Test
    void refusesATransferToAReadTokenAs403AndRecordsNothing() throws Exception {
        Api reader = as(Role.READ);

        Api.Answer answer = reader.postJson("api/transfers", transfer("auth-read-only"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("reason").textValue()).isEqualTo("FORBIDDEN");
        assertThat(answer.json().get("detail").textValue())
                .isEqualTo("POST /api/transfers needs the role 'transfer'; the token of 'ada' grants [read]");
        assertThat(reader.get("api/transfers/auth-read-only").status()).isEqualTo(404);
    }

    @Test
    void letsATransferTokenMoveMoneyButNotOperate() throws Exception {
        Api mover = as(Role.TRANSFER);

        Api.Answer moved = mover.postJson("api/transfers", transfer("auth-transfer"));
        Api.Answer recovery = mover.get("api/recovery");

        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().get("status").textValue()).isEqualTo("committed");
        assertThat(recovery.status()).as(recovery.body()).isEqualTo(403);
        assertThat(recovery.json().get("reason").textValue()).isEqualTo("FORBIDDEN");
        assertThat(as(Role.READ)
                        .get("api/transfers/auth-transfer")
                        .json()
                        .get("status")
                        .textValue())
                .isEqualTo("committed");
    }

    @Test
    void letsAnOperatorOperate() throws Exception {
        Api operator = as(Role.OPERATOR);

        assertThat(operator.get("api/recovery").status()).isEqualTo(200);
        assertThat(operator.post("api/recovery", "application/json", "").status())
                .isEqualTo(200);
        assertThat(operator.get("api/audit/conservation").status()).isEqualTo(200);
        assertThat(operator.get("api/state").status())
                .as("read is another role")
                .isEqualTo(403);
    }

    @Test
    void leavesHealthOpen() {
        assertThat(anonymous.getFromRoot("health/ready").status()).isEqualTo(200);
        assertThat(anonymous.getFromRoot("health/live").status()).isEqualTo(200);
    }
}
