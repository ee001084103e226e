package io.clearhouse.ejb;

import jakarta.ejb.ApplicationException;
import java.net.URI;
import java.util.Optional;

/**
 * This node of a cluster does not coordinate: another node leads ({@link #leader()} is its API URL), or no leader is
 * known now (an election is under way, or this node is cut off from the majority). Nothing was applied; the client
 * sends the same request to the leader, or again later.
 */
@ApplicationException
public class NotLeaderException extends RuntimeException {
    private final transient URI leader;

    public NotLeaderException(String message, Optional<URI> leader) {
        super(message);
        this.leader = leader.orElse(null);
    }

    /** The API URL of the node that leads, if one is known. */
    public Optional<URI> leader() {
        return Optional.ofNullable(leader);
    }
}
