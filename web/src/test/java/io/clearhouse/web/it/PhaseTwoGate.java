package io.clearhouse.web.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pass-through in front of a real bank server that can refuse its phase two: while closed, a request carrying a
 * commit or rollback message is answered 503 and never reaches the bank, so the coordinator decides, the other bank
 * applies the decision, and this bank's branch stays prepared until phase two gives up on it. Everything else
 * (prepares, recovery's reads, balances) passes, and while open so does phase two. It counts the commit and rollback
 * messages it let through, so a test can tell that nothing was sent.
 */
final class PhaseTwoGate implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI target;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger phaseTwoPassed = new AtomicInteger();
    private volatile boolean closed;

    private PhaseTwoGate(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::forward);
        server.setExecutor(threads);
        server.start();
    }

    /** A gate, open, in front of the bank server at {@code target}. */
    static PhaseTwoGate in(URI target) throws IOException {
        return new PhaseTwoGate(target);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now on, refuses every request that carries a commit or a rollback. */
    void refusePhaseTwo() {
        closed = true;
    }

    /** From now on, lets everything through. */
    void letPhaseTwoThrough() {
        closed = false;
    }

    /** Commit and rollback messages that reached the bank server. */
    int phaseTwoPassed() {
        return phaseTwoPassed.get();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int phaseTwo = phaseTwoMessages(body);
            if (closed && phaseTwo > 0) {
                answer(exchange, 503, "{\"error\":\"the gate refuses phase two\"}".getBytes());
                return;
            }
            HttpResponse<byte[]> response =
                    client.send(request(exchange, body), HttpResponse.BodyHandlers.ofByteArray());
            phaseTwoPassed.addAndGet(phaseTwo);
            answer(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            exchange.sendResponseHeaders(502, -1);
        }
    }

    private HttpRequest request(HttpExchange exchange, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        target.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(30))
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return request.build();
    }

    private static int phaseTwoMessages(byte[] body) throws IOException {
        if (body.length == 0) {
            return 0;
        }
        JsonNode messages = JSON.readTree(body).path("messages");
        int count = 0;
        for (JsonNode message : messages) {
            String kind = message.path("kind").asText();
            if (kind.equals("commit") || kind.equals("rollback")) {
                count++;
            }
        }
        return count;
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
