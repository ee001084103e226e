package io.clearhouse.web.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.ejb.ClusterNodeView;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cluster documents: a node's own view read back whole, and the cluster's view from the newest term. */
class ClusterBodiesTest {
    private static final URI ONE = URI.create("http://127.0.0.1:8080/api");
    private static final URI TWO = URI.create("http://127.0.0.1:8081/api");
    private static final URI THREE = URI.create("http://127.0.0.1:8082/api");

    @Test
    void readsBackWhatANodeSaysOfItself() {
        ClusterNodeView view = new ClusterNodeView("2", TWO, "LEADER", 7, Optional.of(TWO), 4242, true);
        assertThat(ClusterBodies.readSelf(ClusterBodies.self(view).getBytes())).contains(view);
        ClusterNodeView lost = new ClusterNodeView("1", ONE, "CANDIDATE", 9, Optional.empty(), 17, false);
        assertThat(ClusterBodies.readSelf(ClusterBodies.self(lost).getBytes())).contains(lost);
        assertThat(ClusterBodies.readSelf("<html>".getBytes())).isEmpty();
    }

    @Test
    void takesLeaderAndTermFromTheNewestTermAndNamesTheNodesThatDidNotAnswer() throws Exception {
        // Node 1 was cut off and still believes it leads in term 3; the others moved on to term 4.
        List<ClusterBodies.Node> nodes = List.of(
                new ClusterBodies.Node(
                        "1", ONE, Optional.of(new ClusterNodeView("1", ONE, "LEADER", 3, Optional.of(ONE), 11, true))),
                new ClusterBodies.Node(
                        "2",
                        TWO,
                        Optional.of(new ClusterNodeView("2", TWO, "FOLLOWER", 4, Optional.empty(), 12, false))),
                new ClusterBodies.Node(
                        "3",
                        THREE,
                        Optional.of(new ClusterNodeView("3", THREE, "LEADER", 4, Optional.of(THREE), 13, true))),
                new ClusterBodies.Node("4", URI.create("http://127.0.0.1:8083/api"), Optional.empty()));

        JsonNode body = new ObjectMapper().readTree(ClusterBodies.cluster(nodes));

        assertThat(body.get("leader").asText()).isEqualTo(THREE.toString());
        assertThat(body.get("term").asLong()).isEqualTo(4);
        assertThat(body.get("nodes")).hasSize(4);
        assertThat(body.get("nodes").get(0).get("role").asText()).isEqualTo("LEADER");
        assertThat(body.get("nodes").get(2).get("pid").asLong()).isEqualTo(13);
        assertThat(body.get("nodes").get(3).get("role").asText()).isEqualTo("UNREACHABLE");
        assertThat(body.get("nodes").get(3).get("pid").isNull()).isTrue();
    }

    @Test
    void hasNoLeaderWhileNoNodeKnowsOne() throws Exception {
        List<ClusterBodies.Node> nodes = List.of(new ClusterBodies.Node(
                "1", ONE, Optional.of(new ClusterNodeView("1", ONE, "CANDIDATE", 2, Optional.empty(), 11, false))));

        JsonNode body = new ObjectMapper().readTree(ClusterBodies.cluster(nodes));

        assertThat(body.get("leader").isNull()).isTrue();
        assertThat(body.get("term").asLong()).isEqualTo(2);
    }
}
