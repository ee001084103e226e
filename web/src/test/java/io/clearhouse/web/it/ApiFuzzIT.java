package io.clearhouse.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.postgres.PostgresCluster;
import io.clearhouse.postgres.PostgresOptions;
import io.clearhouse.web.json.GeneratedBodies;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated request bodies, from valid to garbage, sent to a live server (Payara Micro with the WAR, PostgreSQL, two
 * memory banks): transfers, transactions and batches. Every request is answered within the timeout and never with a
 * 5xx; a refused request (4xx) changes no balance; and whatever commits, the banks' total stays what they opened
 * with. Tries: {@code jqwik.tries.default} (10,000; 100,000 for the long run).
 */
class ApiFuzzIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final List<String> ACCOUNTS = List.of("alice", "bob", "t-1", "a", "b", "c", "d", "e", "ab", "ba");
    private static final long OPENING_BALANCE = 1_000_000;
    private static final int ID_LENGTH_MAX = 64;
    private static final int POSTINGS_MAX = 4;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(ANSWER_TIMEOUT).build();

    private static PostgresCluster database;
    private static PayaraMicroProcess server;
    private static URI application;

    private record Request(String path, String contentType, byte[] body) {}

    @BeforeContainer
    static void startServer() throws Exception {
        Path directory = Path.of("target", "api-fuzz").toAbsolutePath();
        ServerFiles.recreate(directory);
        database = PostgresCluster.throwawayOrExisting(PostgresOptions.defaults());
        Map<String, Map<String, Long>> banks = new LinkedHashMap<>();
        for (int index = 0; index < ACCOUNTS.size(); index++) {
            banks.computeIfAbsent(String.valueOf(1 + index % 2), bank -> new LinkedHashMap<>())
                    .put(ACCOUNTS.get(index), OPENING_BALANCE);
        }
        Path properties = ServerFiles.writeSystemProperties(
                directory,
                ServerFiles.writeBanksFile(directory, banks),
                database.database().createFresh(),
                Map.of(
                        "clearhouse.limits.id-length-max", String.valueOf(ID_LENGTH_MAX),
                        "clearhouse.postings-max", String.valueOf(POSTINGS_MAX)));
        server = PayaraMicroProcess.start(properties, directory);
        server.awaitReady(READY_TIMEOUT);
        application = server.application().toURI();
    }

    @AfterContainer
    static void stopServer() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Property
    void everyRequestIsAnsweredWithoutA5xxAndARefusalChangesNoBalance(@ForAll("requests") Request request)
            throws Exception {
        JsonNode before = state();

        HttpResponse<String> answer = send(request);

        assertThat(answer.statusCode()).as(answer.body()).isLessThan(500);
        // Printed with the property's report, to show that the generator reaches commits as well as refusals.
        Statistics.label("answers").collect(request.path(), answer.statusCode());
        JsonNode after = state();
        if (answer.statusCode() >= 400) {
            assertThat(answer.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(after).as("balances after a refusal").isEqualTo(before);
        }
        assertThat(total(after)).as("money conserved").isEqualTo(OPENING_BALANCE * ACCOUNTS.size());
    }

    @Provide
    Arbitrary<Request> requests() {
        return Arbitraries.frequencyOf(
                Tuple.of(
                        4,
                        GeneratedBodies.transfers(ID_LENGTH_MAX, ACCOUNTS)
                                .map(body -> new Request("api/transfers", "application/json", body))),
                Tuple.of(
                        4,
                        GeneratedBodies.transactions(ID_LENGTH_MAX, POSTINGS_MAX, ACCOUNTS)
                                .map(body -> new Request("api/transactions", "application/json", body))),
                Tuple.of(
                        1,
                        batches()
                                .map(csv ->
                                        new Request("api/batches", "text/csv", csv.getBytes(StandardCharsets.UTF_8)))));
    }

    private static Arbitrary<String> batches() {
        Arbitrary<String> field = Arbitraries.oneOf(
                Arbitraries.of(ACCOUNTS),
                Arbitraries.of("", " ", "nobody", "x\u0001", "1", "-1", "0", "99999999999999999999"));
        Arbitrary<String> line = field.list().ofMinSize(1).ofMaxSize(5).map(fields -> String.join(",", fields));
        return line.list().ofMaxSize(6).map(lines -> String.join("\n", lines));
    }

    private static HttpResponse<String> send(Request request) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(application.resolve(request.path()))
                        .timeout(ANSWER_TIMEOUT)
                        .header("Content-Type", request.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode state() throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(application.resolve("api/state"))
                        .timeout(ANSWER_TIMEOUT)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static long total(JsonNode state) {
        long total = 0;
        for (JsonNode bank : state) {
            for (JsonNode balance : bank) {
                total += balance.longValue();
            }
        }
        return total;
    }
}
