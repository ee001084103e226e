package io.clearhouse.core.simulation;

import io.clearhouse.core.protocol.BranchState;
import io.clearhouse.core.protocol.TransactionMachine;
import java.util.List;

/**
 * Where a transaction in flight stands, from its coordinator's side, when that coordinator stops leading: the points
 * between protocol steps that fail-over must survive, counted so the test can tell that each was reached.
 */
enum FailoverPoint {
    /** Prepares sent (some may still be queued or on the way), no vote in yet. */
    NO_VOTE_YET,
    /** Some votes in, not all, nothing decided. */
    SOME_VOTES_IN,
    /** The commit decision is appended to the log, not yet committed by a majority. */
    DECISION_APPENDED,
    /** The commit decision is committed; no bank has acknowledged its commit yet. */
    DECISION_COMMITTED,
    /** Some banks acknowledged their commit, not all. */
    PHASE_TWO_UNDER_WAY,
    /** Aborting: rollbacks under way, or the abort outcome not yet committed. */
    ABORTING;

    /** Where {@code machine}, a transaction not yet completed with branches at {@code bankIds}, stands. */
    static FailoverPoint of(TransactionMachine machine, List<String> bankIds) {
        return switch (machine.state()) {
            case ACTIVE -> NO_VOTE_YET;
            case PREPARING ->
                branchesIn(machine, bankIds, BranchState.PREPARE_SENT) == bankIds.size() ? NO_VOTE_YET : SOME_VOTES_IN;
            case COMMITTING -> {
                if (machine.outcome() == null) {
                    yield DECISION_APPENDED;
                }
                yield branchesIn(machine, bankIds, BranchState.ACKNOWLEDGED) > 0
                        ? PHASE_TWO_UNDER_WAY
                        : DECISION_COMMITTED;
            }
            case ABORTING -> ABORTING;
            case COMPLETED -> throw new IllegalStateException("transaction " + machine.globalId() + " is over");
        };
    }

    private static int branchesIn(TransactionMachine machine, List<String> bankIds, BranchState state) {
        int count = 0;
        for (String bankId : bankIds) {
            if (machine.branchState(bankId) == state) {
                count++;
            }
        }
        return count;
    }
}
