package io.clearhouse.bankserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated {@code POST /v1/messages} bodies, from valid messages to garbage, sent to a live bank-server process:
 * every request is answered within the timeout and never with a 5xx, and a refused request (4xx) changes nothing,
 * neither a posted balance nor a prepared branch. Tries: {@code jqwik.tries.default} (10,000; 100,000 for the long
 * run).
 */
class BankProtocolFuzzIT {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final String SNAPSHOT = "{\"messages\": [{\"bank\": \"1\", \"kind\": \"balances\"},"
            + " {\"bank\": \"1\", \"kind\": \"recover\"}, {\"bank\": \"2\", \"kind\": \"balances\"},"
            + " {\"bank\": \"2\", \"kind\": \"recover\"}]}";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(ANSWER_TIMEOUT).build();

    private static Path directory;
    private static BankServerProcess server;

    @BeforeContainer
    static void startServer() throws IOException {
        directory = Files.createTempDirectory(Path.of("target"), "protocol-fuzz");
        Path state = Files.writeString(
                directory.resolve("state.json"),
                "{\"1\": {\"alice\": 1000000, \"bob\": 0}, \"2\": {\"carol\": 1000000, \"dave\": 5}}");
        server = BankServerProcess.start(
                state,
                directory.resolve("data"),
                "--request-bytes-max",
                "4000",
                "--branches-max",
                "8",
                "--postings-max",
                "4",
                "--messages-max",
                "6",
                "--id-length-max",
                "16");
    }

    @AfterContainer
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Property
    void everyRequestIsAnsweredWithoutA5xxAndARefusalChangesNothing(@ForAll("requests") byte[] body) throws Exception {
        String before = post(SNAPSHOT.getBytes(StandardCharsets.UTF_8)).body();

        HttpResponse<String> answer = post(body);

        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 400, 413);
        if (answer.statusCode() != 200) {
            assertThat(answer.body()).contains("\"reason\"");
            assertThat(post(SNAPSHOT.getBytes(StandardCharsets.UTF_8)).body())
                    .as("balances and prepared branches after a refusal")
                    .isEqualTo(before);
        }
        assertThat(server.isAlive()).isTrue();
    }

    private static HttpResponse<String> post(byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(server.url().resolve("/v1/messages"))
                .timeout(ANSWER_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Provide
    Arbitrary<byte[]> requests() {
        Arbitrary<String> request =
                message().list().ofMaxSize(7).map(messages -> "{\"messages\": [" + String.join(",", messages) + "]}");
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(8, request),
                Tuple.of(1, request.map(json -> json.substring(0, json.length() / 2))),
                Tuple.of(
                        1,
                        Combinators.combine(request, Arbitraries.of("}", " x", ",{}", "\u0000", " \"more\""))
                                .as((json, trailing) -> json + trailing)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(60)));
        return Arbitraries.frequencyOf(
                Tuple.of(9, text.map(json -> json.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(60)));
    }

    private static Arbitrary<String> message() {
        Arbitrary<String> bank =
                Arbitraries.of("\"1\"", "\"2\"", "\"9\"", "\"\"", "1", "null", "\"" + "b".repeat(17) + "\"");
        Arbitrary<String> transaction =
                Arbitraries.of("t1", "t2", "t3", "", "x".repeat(17), "\\u0000").map(id -> "\"" + id + "\"");
        Arbitrary<String> account =
                Arbitraries.of("alice", "bob", "carol", "dave", "nobody", "").map(id -> "\"" + id + "\"");
        Arbitrary<String> amount = Arbitraries.of(
                "-10",
                "10",
                "0",
                "-1000001",
                "1.5",
                "9223372036854775807",
                "-9223372036854775808",
                "99999999999999999999",
                "\"5\"",
                "null");
        Arbitrary<String> posting =
                Combinators.combine(account, amount).as((a, m) -> "{\"account\": " + a + ", \"amount\": " + m + "}");
        Arbitrary<String> branch = Combinators.combine(
                        transaction, posting.list().ofMaxSize(5))
                .as((t, postings) ->
                        "{\"transaction\": " + t + ", \"postings\": [" + String.join(",", postings) + "]}");
        Arbitrary<String> branches = branch.list().ofMaxSize(4).map(list -> "[" + String.join(",", list) + "]");
        Arbitrary<String> transactions =
                transaction.list().ofMaxSize(4).map(list -> "[" + String.join(",", list) + "]");
        Arbitrary<String> kind = Arbitraries.of("prepare", "commit", "rollback", "recover", "balances", "burn", "")
                .map(name -> "\"" + name + "\"");
        return Combinators.combine(
                        bank,
                        kind,
                        branches,
                        transactions,
                        Arbitraries.integers().between(0, 3))
                .as((b, k, bs, ts, fields) -> {
                    StringBuilder json = new StringBuilder("{\"bank\": ")
                            .append(b)
                            .append(", \"kind\": ")
                            .append(k);
                    if ((fields & 1) != 0) {
                        json.append(", \"branches\": ").append(bs);
                    }
                    if ((fields & 2) != 0) {
                        json.append(", \"transactions\": ").append(ts);
                    }
                    return json.append('}').toString();
                });
    }
}
