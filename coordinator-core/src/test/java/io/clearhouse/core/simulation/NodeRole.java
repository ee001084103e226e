package io.clearhouse.core.simulation;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a coordinator node is doing: {@code FOLLOWER → OPENING → RECOVERING → LEADING} once elected, back to {@code
 * FOLLOWER} when it learns of a newer term, and {@code DOWN} from anywhere until it restarts as a follower. A node
 * deposed without learning it stays {@code LEADING} in its own eyes, which is the point of the fail-over model.
 */
enum NodeRole {
    DOWN,
    FOLLOWER,
    /** Elected: its OPEN is appended and not yet committed. */
    OPENING,
    /** Its OPEN is committed; recovery waits for every bank to be up. */
    RECOVERING,
    /** Recovered: it takes transfers and runs recovery passes. */
    LEADING;

    /** The roles from which {@code this} may be entered. */
    Set<NodeRole> allowedPredecessors() {
        return switch (this) {
            case DOWN -> EnumSet.of(FOLLOWER, OPENING, RECOVERING, LEADING);
            case FOLLOWER -> EnumSet.of(DOWN, OPENING, RECOVERING, LEADING);
            case OPENING -> EnumSet.of(FOLLOWER);
            case RECOVERING -> EnumSet.of(OPENING);
            case LEADING -> EnumSet.of(RECOVERING);
        };
    }

    /**
     * The role after moving from {@code this} to {@code next}.
     *
     * @throws IllegalStateException if the move is not in the table of allowed predecessors: a bug of the model
     */
    NodeRole transitionTo(NodeRole next) {
        if (!next.allowedPredecessors().contains(this)) {
            throw new IllegalStateException("illegal node role transition " + this + " -> " + next);
        }
        return next;
    }

    /** Whether the node believes it leads, or is about to: elected, in its own eyes. */
    boolean elected() {
        return this == OPENING || this == RECOVERING || this == LEADING;
    }
}
