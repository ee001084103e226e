package io.clearhouse.log.raft;

import io.clearhouse.core.log.DecisionLogException;

/**
 * The group refused an entry because it was written for a leadership that is over: Raft appended it in a later term,
 * under another leader. Nothing of the entry was applied, and no later entry of the same log will be: the
 * coordinator that opened the log must stop, and a coordinator of the current leader opens the log anew.
 */
public final class StaleLeadershipException extends DecisionLogException {
    StaleLeadershipException(long writtenFor, long appendedIn) {
        super("the replicated log refused an entry written for term " + writtenFor + ": it was appended in term "
                + appendedIn + ", under a newer leader");
    }
}
