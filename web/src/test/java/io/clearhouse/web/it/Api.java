package io.clearhouse.web.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A small HTTP client for the API under test, answering status, content type and parsed JSON. */
final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI application;
    private final URI root;
    private final Optional<String> token;

    /** @param application the deployment's URL, such as {@code http://localhost:8080/clearhouse/} */
    Api(URL application) {
        this(
                URI.create(application.toString().endsWith("/") ? application.toString() : application + "/"),
                Optional.empty());
    }

    private Api(URI application, Optional<String> token) {
        this.application = application;
        this.root = application.resolve("/");
        this.token = token;
    }

    /** The same API, every request carrying {@code Authorization: Bearer token}. */
    Api withToken(String bearerToken) {
        return new Api(application, Optional.of(bearerToken));
    }

    /** @param wwwAuthenticate the {@code WWW-Authenticate} header, empty when absent */
    record Answer(int status, String contentType, String body, String wwwAuthenticate) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    Answer post(String path, String contentType, String body) {
        return post(path, contentType, body, Map.of());
    }

    Answer post(String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(application.resolve(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    Answer postJson(String path, String body) {
        return post(path, "application/json", body);
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(application.resolve(path)).GET());
    }

    /** A path from the server's root, where Payara serves health, metrics and OpenAPI. */
    Answer getFromRoot(String path) {
        return send(HttpRequest.newBuilder(root.resolve(path)).GET());
    }

    long balance(String account) {
        Answer answer = get("api/accounts/" + account);
        if (answer.status() != 200) {
            throw new IllegalStateException("account " + account + ": " + answer);
        }
        return answer.json().get("balance").longValue();
    }

    /**
     * Polls readiness until the coordinator has started (its start-up recovery done), or fails after {@code
     * timeout}; the server starts the coordinator on a timer after deployment.
     */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Answer last = null;
        while (System.nanoTime() < deadline) {
            last = getFromRoot("health/ready");
            if (last.status() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not become ready within " + timeout + ": " + last);
    }

    private Answer send(HttpRequest.Builder request) {
        token.ifPresent(bearer -> request.header("Authorization", "Bearer " + bearer));
        try {
            HttpResponse<String> response =
                    client.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body(),
                    response.headers().firstValue("WWW-Authenticate").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
