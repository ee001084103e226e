package io.clearhouse.web;

import io.clearhouse.ejb.ClusterNodeView;
import io.clearhouse.ejb.CoordinatorBean;
import io.clearhouse.web.json.ClusterBodies;
import io.clearhouse.web.problem.ProblemException;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster as one node sees it, answered by every node, leader or not: {@code GET /api/cluster} asks every other
 * node what it says of itself ({@code GET /api/cluster/self}) at once, within {@link #PEER_TIMEOUT}, and counts a
 * node that does not answer in time as unreachable.
 */
@Path("cluster")
@ApplicationScoped
public class ClusterResource {
    static final Duration PEER_TIMEOUT = Duration.ofSeconds(1);
    private static final HttpClient PEERS =
            HttpClient.newBuilder().connectTimeout(PEER_TIMEOUT).build();

    @EJB
    CoordinatorBean coordinator;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response cluster() {
        ClusterNodeView self = self();
        Map<String, CompletableFuture<Optional<ClusterNodeView>>> answers = new LinkedHashMap<>();
        coordinator
                .clusterApiUrls()
                .forEach((id, url) -> answers.put(
                        id,
                        id.equals(self.id()) ? CompletableFuture.completedFuture(Optional.of(self)) : askSelf(url)));
        List<ClusterBodies.Node> nodes = new ArrayList<>();
        answers.forEach((id, answer) -> nodes.add(
                new ClusterBodies.Node(id, coordinator.clusterApiUrls().get(id), answer.join())));
        return Answers.json(ClusterBodies.cluster(nodes));
    }

    @GET
    @Path("self")
    @Produces(MediaType.APPLICATION_JSON)
    public Response selfView() {
        return Answers.json(ClusterBodies.self(self()));
    }

    private ClusterNodeView self() {
        return coordinator
                .clusterSelf()
                .orElseThrow(() -> ProblemException.notFound(
                        "NOT_A_CLUSTER",
                        "this server is not a node of a cluster (clearhouse.decision-log is not raft), or it has not"
                                + " joined its cluster yet"));
    }

    private static CompletableFuture<Optional<ClusterNodeView>> askSelf(URI apiUrl) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/cluster/self"))
                .timeout(PEER_TIMEOUT)
                .GET()
                .build();
        return PEERS.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> response.statusCode() == 200
                        ? ClusterBodies.readSelf(response.body())
                        : Optional.<ClusterNodeView>empty())
                .exceptionally(unreachable -> Optional.empty());
    }
}
