package io.clearhouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * What the fail-over benchmark asks a cluster's nodes over HTTP: {@code GET /api/cluster}, {@code GET
 * /api/cluster/self} and {@code POST /api/transfers}, on one JDK client (HTTP/1.1, keep-alive) shared by its threads.
 * Every request is bounded by {@code requestTimeout}, so that a node that stopped answering costs a client no more.
 */
final class ClusterHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNREACHABLE = "UNREACHABLE";

    private final HttpClient client;
    private final Duration requestTimeout;
    private final Supplier<String> authorization;
    private volatile String authorizationHeader;

    /**
     * @param authorization the {@code Authorization} header every request carries, asked for at the first request: the
     *     cluster makes its key pair when it starts
     */
    ClusterHttp(Duration requestTimeout, Supplier<String> authorization) {
        this.authorization = authorization;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .build();
        this.requestTimeout = requestTimeout;
    }

    /**
     * What a node says of itself.
     *
     * @param role {@code LEADER}, {@code FOLLOWER} or {@code CANDIDATE}
     * @param coordinating whether it leads and its coordinator is open for its term
     */
    record Self(String id, String role, long term, Optional<URI> leader, long pid, boolean coordinating) {
        boolean leads() {
            return role.equals("LEADER");
        }
    }

    /** One node in {@code GET /api/cluster}: its role, or {@code UNREACHABLE}, and its pid when it answered. */
    record Node(String id, URI url, String role, OptionalLong pid) {
        boolean reachable() {
            return !role.equals(UNREACHABLE);
        }
    }

    /** {@code GET /api/cluster}: the leader and term of the newest view, and every node. */
    record View(Optional<URI> leader, long term, List<Node> nodes) {
        boolean everyNodeReachable() {
            return nodes.stream().allMatch(Node::reachable);
        }

        Optional<Node> leaderNode() {
            return leader.flatMap(
                    url -> nodes.stream().filter(node -> node.url().equals(url)).findFirst());
        }
    }

    /** The status and body of an answer to a transfer. */
    record Answer(int status, String body) {
        boolean committed() {
            return status == 200 && body.contains("\"committed\"");
        }

        /** The leader a 421 names. */
        Optional<URI> leader() {
            try {
                JsonNode leader = JSON.readTree(body).path("leader");
                return leader.isTextual() ? Optional.of(URI.create(leader.asText())) : Optional.empty();
            } catch (IOException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    Self self(URI api) throws IOException, InterruptedException {
        JsonNode self = JSON.readTree(get(URI.create(api + "/cluster/self")));
        JsonNode leader = self.path("leader");
        return new Self(
                self.required("id").asText(),
                self.required("role").asText(),
                self.required("term").asLong(),
                leader.isTextual() ? Optional.of(URI.create(leader.asText())) : Optional.empty(),
                self.required("pid").asLong(),
                self.path("coordinating").asBoolean());
    }

    View cluster(URI api) throws IOException, InterruptedException {
        JsonNode view = JSON.readTree(get(URI.create(api + "/cluster")));
        List<Node> nodes = new ArrayList<>();
        for (JsonNode node : view.required("nodes")) {
            JsonNode pid = node.path("pid");
            nodes.add(new Node(
                    node.required("id").asText(),
                    URI.create(node.required("url").asText()),
                    node.required("role").asText(),
                    pid.isNumber() ? OptionalLong.of(pid.asLong()) : OptionalLong.empty()));
        }
        JsonNode leader = view.path("leader");
        return new View(
                leader.isTextual() ? Optional.of(URI.create(leader.asText())) : Optional.empty(),
                view.path("term").asLong(),
                nodes);
    }

    /** Posts a transfer to node {@code api}; an exception means no answer (refused, reset, timed out). */
    Answer transfer(URI api, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(api + "/transfers"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", authorization())
                        .timeout(requestTimeout)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    /** {@code GET /api/state}: every account's posted balance, summed. */
    long moneyHeld(URI api) throws IOException, InterruptedException {
        long sum = 0;
        for (JsonNode bank : JSON.readTree(get(URI.create(api + "/state")))) {
            for (JsonNode balance : bank) {
                sum += balance.asLong();
            }
        }
        return sum;
    }

    /** {@code POST /api/recovery}: one recovery pass on the node, which must coordinate. */
    void recoveryPass(URI api) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(api + "/recovery"))
                        .header("Authorization", authorization())
                        .timeout(requestTimeout)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("POST /api/recovery answered " + response.statusCode() + ": " + response.body());
        }
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(uri)
                        .header("Authorization", authorization())
                        .timeout(requestTimeout)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private String authorization() {
        if (authorizationHeader == null) {
            authorizationHeader = authorization.get();
        }
        return authorizationHeader;
    }
}
