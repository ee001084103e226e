package io.clearhouse.core.protocol;

import java.util.EnumSet;
import java.util.Set;

/**
 * The coordinator's state for one transaction: {@code ACTIVE → PREPARING → COMMITTING | ABORTING → COMPLETED}. A
 * transaction refused before any bank is asked goes straight from {@code ACTIVE} to {@code ABORTING}. {@code
 * ABORTING} starts at the first vote against: the abort is decided then, though its reason, and so the outcome
 * record, may still wait for the other votes or the prepare deadline.
 */
public enum CoordinatorState {
    ACTIVE,
    PREPARING,
    COMMITTING,
    ABORTING,
    COMPLETED;

    /** The states from which {@code this} may be entered. */
    public Set<CoordinatorState> allowedPredecessors() {
        return switch (this) {
            case ACTIVE -> EnumSet.noneOf(CoordinatorState.class);
            case PREPARING -> EnumSet.of(ACTIVE);
            case COMMITTING -> EnumSet.of(PREPARING);
            case ABORTING -> EnumSet.of(ACTIVE, PREPARING);
            case COMPLETED -> EnumSet.of(COMMITTING, ABORTING);
        };
    }

    /**
     * The state after moving from {@code this} to {@code next}.
     *
     * @throws IllegalStateException if the move is not in the table of allowed predecessors: a protocol bug
     */
    public CoordinatorState transitionTo(CoordinatorState next) {
        if (!allowed(this, next)) {
            throw new IllegalStateException("illegal transition " + this + " -> " + next);
        }
        return next;
    }

    private static boolean allowed(CoordinatorState from, CoordinatorState to) {
        // The hot path avoids building a set per step; allowedPredecessors() documents the same table.
        return switch (to) {
            case ACTIVE -> false;
            case PREPARING -> from == ACTIVE;
            case COMMITTING -> from == PREPARING;
            case ABORTING -> from == ACTIVE || from == PREPARING;
            case COMPLETED -> from == COMMITTING || from == ABORTING;
        };
    }
}
