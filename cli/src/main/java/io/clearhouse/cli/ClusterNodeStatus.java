package io.clearhouse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.Optional;

/**
 * What a node says of itself at {@code GET /api/cluster/self}.
 *
 * @param id its Raft id
 * @param url its API URL
 * @param role {@code LEADER}, {@code FOLLOWER} or {@code CANDIDATE}
 * @param term the Raft term it is in
 * @param leader the leader's API URL, if it knows one
 * @param pid the process id of its JVM
 * @param coordinating whether it accepts transfers: true on the leader once its recovery has finished
 */
record ClusterNodeStatus(
        String id, URI url, String role, long term, Optional<URI> leader, long pid, boolean coordinating) {
    static final String LEADER = "LEADER";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The leader that has finished its recovery and accepts transfers. */
    boolean isCoordinatingLeader() {
        return role.equals(LEADER) && coordinating;
    }

    /**
     * Reads the answer's body.
     *
     * @throws IllegalArgumentException if it is not the object the endpoint answers
     */
    static ClusterNodeStatus parse(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null
                || !node.path("url").isTextual()
                || !node.path("role").isTextual()
                || !node.path("pid").canConvertToLong()) {
            throw new IllegalArgumentException("not a node's status: " + body);
        }
        JsonNode leader = node.path("leader");
        return new ClusterNodeStatus(
                node.path("id").asText(),
                URI.create(node.path("url").asText()),
                node.path("role").asText(),
                node.path("term").asLong(),
                leader.isTextual() ? Optional.of(URI.create(leader.asText())) : Optional.empty(),
                node.path("pid").asLong(),
                node.path("coordinating").asBoolean());
    }
}
