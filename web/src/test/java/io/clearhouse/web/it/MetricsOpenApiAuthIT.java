package io.clearhouse.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.auth.Role;
import io.clearhouse.auth.SigningKeys;
import io.clearhouse.auth.TokenClaims;
import io.clearhouse.auth.TokenWriter;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
import io.clearhouse.web.security.AuthenticationSettings;
import io.clearhouse.web.security.PayaraEndpointsSetting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

/**
 * The WAR on Payara Micro with a verification key and {@code clearhouse.auth.metrics-openapi-role=operator}: Payara's
 * {@code /metrics} and {@code /openapi} then answer only an operator's token, refusing others as the API does, and
 * answer it as they answer anyone on a server without the setting; {@code /health} stays open.
 */
@ExtendWith(PostgresExtension.class)
class MetricsOpenApiAuthIT {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final String ISSUER = "metrics-openapi-auth-it";
    private static final List<String> GUARDED = List.of("metrics", "metrics?scope=application", "openapi");

    private static SigningKeys keys;
    private static PayaraMicroProcess server;
    private static Api anonymous;

    @BeforeAll
    static void startServerThatGuardsMetricsAndOpenApi(PostgresDatabase cluster) throws Exception {
        Path directory = Path.of("target", "metrics-openapi-auth-it").toAbsolutePath();
        ServerFiles.recreate(directory);
        keys = new SigningKeys(directory.resolve("keys"));
        keys.createIfMissing();
        Path banksFile = ServerFiles.writeBanksFile(directory, ServerFixture.banks());
        Path properties = ServerFiles.writeSystemProperties(
                directory,
                banksFile,
                cluster.createFresh(),
                Map.of(
                        AuthenticationSettings.PUBLIC_KEY_LOCATION,
                        keys.publicKey().toString(),
                        AuthenticationSettings.ISSUER,
                        ISSUER,
                        PayaraEndpointsSetting.ROLE,
                        "operator"));
        server = PayaraMicroProcess.start(properties, directory);
        anonymous = server.awaitReady(READY_TIMEOUT);
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private static Api as(Role... roles) throws Exception {
        Instant now = Instant.now();
        TokenClaims claims = new TokenClaims(ISSUER, "ada", Set.of(roles), now, now.plus(Duration.ofHours(1)), "jti");
        return anonymous.withToken(new TokenWriter(keys.readPrivateKey()).write(claims));
    }

    @Test
    void refusesMetricsAndOpenApiWithoutAValidTokenAs401() {
        for (String path : GUARDED) {
            Api.Answer answer = anonymous.getFromRoot(path);

            assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(401);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.wwwAuthenticate()).isEqualTo("Bearer");
            assertThat(answer.json().get("reason").textValue()).isEqualTo("UNAUTHENTICATED");
            assertThat(answer.json().get("detail").textValue()).contains("no bearer token");
        }
        Api.Answer garbage = anonymous.withToken("garbage").getFromRoot("metrics");
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(garbage.json().get("reason").textValue()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void refusesAReadTokenAs403NamingTheRoleNeeded() throws Exception {
        Api reader = as(Role.READ);

        Api.Answer metrics = reader.getFromRoot("metrics");
        Api.Answer openApi = reader.getFromRoot("openapi");

        assertThat(metrics.status()).as(metrics.body()).isEqualTo(403);
        assertThat(metrics.contentType()).startsWith("application/problem+json");
        assertThat(metrics.json().get("reason").textValue()).isEqualTo("FORBIDDEN");
        assertThat(metrics.json().get("detail").textValue())
                .isEqualTo("GET /metrics needs the role 'operator'; the token of 'ada' grants [read]");
        assertThat(openApi.status()).as(openApi.body()).isEqualTo(403);
        assertThat(reader.get("api/state").status())
                .as("the API's own rules are unchanged")
                .isEqualTo(200);
    }

    @Test
    void servesAnOperatorTheMetricsInThePrometheusTextFormat() throws Exception {
        Api.Answer metrics = as(Role.OPERATOR).getFromRoot("metrics");

        assertThat(metrics.status()).as(metrics.body()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body()).containsPattern("(?m)^# TYPE ");
        assertThat(PrometheusText.problems(metrics.body())).isEmpty();
        assertThat(metrics.body()).contains("clearhouse_transactions_committed");
        assertThat(as(Role.OPERATOR).getFromRoot("metrics?scope=application").body())
                .contains("# HELP clearhouse_conservation_difference");
    }

    @Test
    void servesAnOperatorTheOpenApiDocumentOfTheWar() throws Exception {
        Api.Answer openApi = as(Role.OPERATOR).getFromRoot("openapi");

        assertThat(openApi.status()).as(openApi.body()).isEqualTo(200);
        Map<String, Object> served = new Yaml().load(openApi.body());
        assertThat(served.get("openapi")).isNotNull();
        assertThat(served.get("servers")).as("the entry Payara adds").isNotNull();
        assertThat(paths(served).keySet()).isEqualTo(paths(written()).keySet());
    }

    @Test
    void leavesHealthOpen() {
        assertThat(anonymous.getFromRoot("health/ready").status()).isEqualTo(200);
        assertThat(anonymous.getFromRoot("health/live").status()).isEqualTo(200);
        assertThat(anonymous.getFromRoot("health").status()).isEqualTo(200);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> paths(Map<String, Object> document) {
        return (Map<String, Object>) document.get("paths");
    }

    private static Map<String, Object> written() throws IOException {
        try (InputStream in = MetricsOpenApiAuthIT.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            return new Yaml().load(in);
        }
    }
}
