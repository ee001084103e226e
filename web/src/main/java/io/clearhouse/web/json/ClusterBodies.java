package io.clearhouse.web.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clearhouse.ejb.ClusterNodeView;
import java.io.IOException;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The JSON documents of {@code GET /api/cluster} and {@code GET /api/cluster/self}, and the reading of the latter. */
public final class ClusterBodies {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNREACHABLE = "UNREACHABLE";

    private ClusterBodies() {}

    /**
     * One node of the cluster and what it said of itself, if it answered.
     *
     * @param id the node's id
     * @param url its API URL, as configured
     * @param view what it said; empty when it did not answer
     */
    public record Node(String id, URI url, Optional<ClusterNodeView> view) {}

    /**
     * {@code {"leader": URL or null, "term": N, "nodes": [{"id","url","role","pid"}]}}: the leader and term are those
     * of the newest term any node that answered knows, so that a node cut off from the others does not make its
     * stale view the cluster's.
     */
    public static String cluster(List<Node> nodes) {
        Optional<ClusterNodeView> newest = nodes.stream()
                .flatMap(node -> node.view().stream())
                .max(Comparator.comparingLong(ClusterNodeView::term)
                        .thenComparing(view -> view.leader().isPresent()));
        ObjectNode body = JSON.createObjectNode();
        body.put(
                "leader",
                newest.flatMap(ClusterNodeView::leader).map(URI::toString).orElse(null));
        body.put("term", newest.map(ClusterNodeView::term).orElse(0L));
        ArrayNode array = body.putArray("nodes");
        for (Node node : nodes) {
            ObjectNode item = array.addObject();
            item.put("id", node.id());
            item.put("url", node.url().toString());
            item.put("role", node.view().map(ClusterNodeView::role).orElse(UNREACHABLE));
            if (node.view().isPresent()) {
                item.put("pid", node.view().get().pid());
            } else {
                item.putNull("pid");
            }
        }
        return body.toString();
    }

    /** {@code {"id","url","role","term","leader","pid","coordinating"}}. */
    public static String self(ClusterNodeView view) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", view.id());
        body.put("url", view.url().toString());
        body.put("role", view.role());
        body.put("term", view.term());
        body.put("leader", view.leader().map(URI::toString).orElse(null));
        body.put("pid", view.pid());
        body.put("coordinating", view.coordinating());
        return body.toString();
    }

    /** What another node said of itself; empty if the answer is not such a document. */
    public static Optional<ClusterNodeView> readSelf(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode leader = node.path("leader");
            return Optional.of(new ClusterNodeView(
                    node.required("id").asText(),
                    URI.create(node.required("url").asText()),
                    node.required("role").asText(),
                    node.required("term").asLong(),
                    leader.isTextual() ? Optional.of(URI.create(leader.asText())) : Optional.empty(),
                    node.required("pid").asLong(),
                    node.path("coordinating").asBoolean()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
