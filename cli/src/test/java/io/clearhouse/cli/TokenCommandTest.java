package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.auth.Role;
import io.clearhouse.auth.SigningKeys;
import io.clearhouse.auth.TokenClaims;
import io.clearhouse.auth.TokenVerifier;
import io.clearhouse.auth.TokenVerifier.Verification;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {
    @TempDir
    Path data;

    private SigningKeys keysOfAStartedServer() throws Exception {
        SigningKeys keys = ServerAuth.signingKeys(data);
        keys.createIfMissing();
        return keys;
    }

    private static TokenClaims verify(SigningKeys keys, String stdout) throws Exception {
        Verification verification =
                new TokenVerifier(keys.readPublicKey(), "clearhouse", Clock.systemUTC()).verify(stdout.strip());
        assertThat(verification).isInstanceOf(Verification.Verified.class);
        return ((Verification.Verified) verification).claims();
    }

    @Test
    void printsOneSignedTokenAndNothingElse() throws Exception {
        SigningKeys keys = keysOfAStartedServer();

        CommandRun run =
                CommandRun.of("token", "--data-dir", data.toString(), "--roles", "transfer,read", "--subject", "ada");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\R");
        TokenClaims claims = verify(keys, run.stdout());
        assertThat(claims.subject()).isEqualTo("ada");
        assertThat(claims.roles()).isEqualTo(Set.of(Role.TRANSFER, Role.READ));
        assertThat(Duration.between(claims.issuedAt(), claims.expiresAt())).isEqualTo(Duration.ofHours(24));
        assertThat(claims.id()).isNotEmpty();
    }

    @Test
    void takesTheTimeToLiveAndTheUserNameByDefault() throws Exception {
        SigningKeys keys = keysOfAStartedServer();

        CommandRun run =
                CommandRun.of("token", "--data-dir", data.toString(), "--roles", "operator", "--ttl-hours", "2");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        TokenClaims claims = verify(keys, run.stdout());
        assertThat(claims.subject()).isEqualTo(System.getProperty("user.name"));
        assertThat(Duration.between(claims.issuedAt(), claims.expiresAt())).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void refusesAnUnknownRoleWithExitCode2() throws Exception {
        keysOfAStartedServer();

        CommandRun run = CommandRun.of("token", "--data-dir", data.toString(), "--roles", "read,admin");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr())
                .isEqualTo("clearhouse token: option --roles: 'admin' is not a role (transfer, read, operator)\n");
    }

    @Test
    void refusesATimeToLiveOutsideItsLimits() throws Exception {
        keysOfAStartedServer();

        for (String ttl : new String[] {"0", "721", "-3", "many"}) {
            CommandRun run =
                    CommandRun.of("token", "--data-dir", data.toString(), "--roles", "read", "--ttl-hours", ttl);
            assertThat(run.exitCode()).as(ttl).isEqualTo(2);
            assertThat(run.stdout()).isEmpty();
            assertThat(run.stderr()).contains("--ttl-hours");
        }
    }

    @Test
    void refusesADataDirectoryWithoutKeys() {
        CommandRun run = CommandRun.of("token", "--data-dir", data.toString(), "--roles", "read");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("has no signing key pair").contains("start serve or cluster");
    }

    @Test
    void refusesMissingRolesAndABadSubject() throws Exception {
        keysOfAStartedServer();

        CommandRun noRoles = CommandRun.of("token", "--data-dir", data.toString());
        CommandRun badSubject =
                CommandRun.of("token", "--data-dir", data.toString(), "--roles", "read", "--subject", "x".repeat(257));

        assertThat(noRoles.exitCode()).isEqualTo(2);
        assertThat(noRoles.stderr()).contains("--roles");
        assertThat(badSubject.exitCode()).isEqualTo(2);
        assertThat(badSubject.stderr()).contains("--subject");
    }
}
