package io.clearhouse.core.simulation;

import io.clearhouse.spi.Xid;
import java.util.HashSet;
import java.util.Set;

/**
 * What the coordinator nodes leave behind over one run, whichever node and leadership did it: the branches left to
 * recovery, for the checks, and the counts of what recovery and messaging did, for the coverage. Single-threaded,
 * like the simulation.
 */
final class Tally {
    /** Branches whose phase two gave up, left to recovery. */
    final Set<Xid> abandoned = new HashSet<>();
    /** Transactions released because their decision log write failed, their branches left to recovery. */
    final Set<String> released = new HashSet<>();
    /** Prepared branches that recovery at an OPEN committed. */
    int recoveredCommits;
    /** Prepared branches that recovery at an OPEN rolled back. */
    int recoveredRollbacks;
    /** Prepared branches that recovery passes committed or rolled back. */
    int passResolutions;
    /** Messages sent that carried more than one branch. */
    int messagesOfSeveralBranches;
}
