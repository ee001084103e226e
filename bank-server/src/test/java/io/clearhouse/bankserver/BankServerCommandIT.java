package io.clearhouse.bankserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code bank-server} command as a process: its ready line, the banks it serves, its refusals of bad arguments and
 * of bad requests, and a clean stop. One server, started once, serves the tests that only send requests.
 */
class BankServerCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String STATE = "{\"1\": {\"alice\": 100, \"bob\": 0}, \"2\": {\"carol\": 50},"
            + " \"3\": {\"dave\": 7}, \"4\": {\"erin\": 0}, \"5\": {\"frank\": 1}}";

    @TempDir
    static Path shared;

    @TempDir
    Path directory;

    private static BankServerProcess server;

    @BeforeAll
    static void startServer() throws IOException {
        Files.writeString(shared.resolve("state.json"), STATE);
        server = BankServerProcess.start(
                shared.resolve("state.json"),
                shared.resolve("data"),
                "--request-bytes-max",
                "4000",
                "--branches-max",
                "3",
                "--id-length-max",
                "16");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void printsOneReadyLineWithTheRealPortAndStopsWithExitZeroOnSigterm() throws Exception {
        Path state = Files.writeString(directory.resolve("state.json"), STATE);
        try (BankServerProcess own = BankServerProcess.start(state, directory.resolve("data"))) {
            assertThat(own.url().getPort()).isPositive();
            assertThat(own.url().toString())
                    .isEqualTo("http://127.0.0.1:" + own.url().getPort());
            assertThat(own.banks()).containsExactly("1", "2", "3", "4", "5");
            assertThat(get(own.url(), "/v1/banks").get("banks")).hasSize(5);

            assertThat(own.stop()).isZero();
        }
    }

    @Test
    void servesOnlyTheBanksSelected() throws Exception {
        Path state = Files.writeString(directory.resolve("state.json"), STATE);
        try (BankServerProcess own = BankServerProcess.start(state, directory.resolve("data"), "--banks", "1,3-4")) {
            assertThat(own.banks()).containsExactly("1", "3", "4");
            HttpResponse<String> otherBank = send(own.url(), "GET", "/v1/banks/2/accounts", null);
            assertThat(otherBank.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(otherBank.body()).get("reason").asText()).isEqualTo("UNKNOWN_BANK");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--no-such-option",
                "--banks 9",
                "--banks 2-1",
                "--fsync maybe",
                "--port -1",
                "missing-state",
                "broken-state"
            })
    void refusesWithExitCodeTwoAndOneLineOnStandardError(String problem) throws IOException {
        Path state = Files.writeString(directory.resolve("state.json"), STATE);
        Path stateArgument =
                switch (problem) {
                    case "missing-state" -> directory.resolve("absent.json");
                    case "broken-state" -> Files.writeString(directory.resolve("broken.json"), "{\"1\": {\"a\": -5}}");
                    default -> state;
                };
        List<String> arguments = new java.util.ArrayList<>(List.of(
                "--initial-state",
                stateArgument.toString(),
                "--data-dir",
                directory.resolve("data").toString(),
                "--port",
                "0"));
        if (problem.startsWith("--")) {
            arguments.addAll(List.of(problem.split(" ")));
        }

        BankServerProcess.Run run = BankServerProcess.run(arguments.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.standardError()).hasSize(1);
        assertThat(run.standardOutput()).isEmpty();
    }

    @Test
    void refusesARequestWithOneBadMessageAndAppliesNoneOfIt() throws Exception {
        String body = "{\"messages\": ["
                + "{\"bank\": \"1\", \"kind\": \"prepare\", \"branches\": [{\"transaction\": \"bad-1\","
                + " \"postings\": [{\"account\": \"alice\", \"amount\": -10}]}]},"
                + "{\"bank\": \"1\", \"kind\": \"settle\", \"transactions\": [\"bad-2\"]}]}";

        HttpResponse<String> response = send(server.url(), "POST", "/v1/messages", body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("reason").asText()).isEqualTo("INVALID_MESSAGE");
        assertThat(problem.get("detail").asText()).contains("messages[1].kind");
        assertThat(get(server.url(), "/v1/banks/1/accounts/alice").get("held").asLong())
                .isZero();
        assertThat(get(server.url(), "/v1/banks/1/recover").get("transactions")).isEmpty();
    }

    @Test
    void refusesRequestsBeyondItsLimits() throws Exception {
        String tooManyBranches = "{\"messages\": [{\"bank\": \"1\", \"kind\": \"commit\","
                + " \"transactions\": [\"a\", \"b\", \"c\", \"d\"]}]}";
        String idTooLong = "{\"messages\": [{\"bank\": \"1\", \"kind\": \"rollback\"," + " \"transactions\": [\""
                + "x".repeat(17) + "\"]}]}";
        String tooLarge = "{\"messages\": [], \"padding\": \"" + "x".repeat(4_000) + "\"}";

        assertRefused(send(server.url(), "POST", "/v1/messages", tooManyBranches), 413, "TOO_MANY_BRANCHES");
        assertRefused(send(server.url(), "POST", "/v1/messages", idTooLong), 400, "ID_TOO_LONG");
        assertRefused(send(server.url(), "POST", "/v1/messages", tooLarge), 413, "REQUEST_TOO_LARGE");
        assertRefused(send(server.url(), "POST", "/v1/messages", "{\"messages\": [}"), 400, "MALFORMED_JSON");
        assertRefused(send(server.url(), "GET", "/v1/messages", null), 405, "METHOD_NOT_ALLOWED");
        assertThat(get(server.url(), "/v1/banks/1/recover").get("transactions")).isEmpty();
    }

    @Test
    void answersEachMessageOfARequestOnItsOwn() throws Exception {
        String body = "{\"messages\": ["
                + "{\"bank\": \"2\", \"kind\": \"prepare\", \"branches\": [{\"transaction\": \"t1\","
                + " \"postings\": [{\"account\": \"carol\", \"amount\": -60}]}]},"
                + "{\"bank\": \"9\", \"kind\": \"commit\", \"transactions\": [\"t1\"]},"
                + "{\"bank\": \"3\", \"kind\": \"rollback\", \"transactions\": [\"t1\"]}]}";

        HttpResponse<String> response = send(server.url(), "POST", "/v1/messages", body);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answers = JSON.readTree(response.body()).get("answers");
        assertThat(answers.get(0).get("votes").get(0).get("vote").asText()).isEqualTo("abort");
        assertThat(answers.get(0).get("votes").get(0).get("reason").asText()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(answers.get(1).get("error").get("reason").asText()).isEqualTo("UNKNOWN_BANK");
        assertThat(answers.get(2).get("ok").asBoolean()).isTrue();
    }

    private static void assertRefused(HttpResponse<String> response, int status, String reason) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("reason").asText()).isEqualTo(reason);
    }

    private static JsonNode get(URI url, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(url, "GET", path, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(URI url, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher =
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest request = HttpRequest.newBuilder(url.resolve(path))
                .method(method, publisher)
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
