package io.clearhouse.log.raft;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The Raft group that holds one decision log: its fixed id and every peer's id and address. Every peer and every
 * client of the group is configured with the same value.
 *
 * @param groupId the group's id; the same on every peer, fixed for the life of the log
 * @param peers every member of the group; three or five for a log that survives the loss of one or two
 */
public record RaftPeers(UUID groupId, List<Peer> peers) {
    public RaftPeers {
        Objects.requireNonNull(groupId, "groupId");
        peers = List.copyOf(peers);
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("a Raft group has at least one peer");
        }
        Set<String> ids = new HashSet<>();
        for (Peer peer : peers) {
            if (!ids.add(peer.id())) {
                throw new IllegalArgumentException("peer " + peer.id() + " appears twice");
            }
        }
    }

    /** The peer named {@code id}, if it is a member. */
    public Optional<Peer> peer(String id) {
        return peers.stream().filter(peer -> peer.id().equals(id)).findFirst();
    }

    /**
     * One member of the group.
     *
     * @param id the peer's Raft id, unique in the group
     * @param host where the peer's gRPC server listens
     * @param port the peer's gRPC port, set explicitly: Ratis would otherwise pick a random one
     */
    public record Peer(String id, String host, int port) {
        public Peer {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(host, "host");
            if (id.isEmpty() || host.isEmpty()) {
                throw new IllegalArgumentException("a peer needs an id and a host");
            }
            if (port <= 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** The address in the {@code host:port} form Ratis takes. */
        public String address() {
            return host + ":" + port;
        }
    }
}
