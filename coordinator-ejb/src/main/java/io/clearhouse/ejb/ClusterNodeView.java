package io.clearhouse.ejb;

import java.net.URI;
import java.util.Optional;

/**
 * What one node of a cluster says of itself.
 *
 * @param id its node id
 * @param url its API URL
 * @param role {@code LEADER}, {@code FOLLOWER} or {@code CANDIDATE}
 * @param term the latest Raft term it knows
 * @param leader the API URL of the leader it knows of, if any
 * @param pid its own process id
 * @param coordinating whether it leads and its coordinator, recovery done, accepts transfers
 */
public record ClusterNodeView(
        String id, URI url, String role, long term, Optional<URI> leader, long pid, boolean coordinating) {}
