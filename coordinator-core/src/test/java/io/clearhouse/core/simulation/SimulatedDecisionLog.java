package io.clearhouse.core.simulation;

import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.log.DecisionRecords;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The decision log as one coordinator node sees it while it leads one term: every write goes to the Raft group
 * tagged with that term, so it counts only if this node still led when the entry was appended; lookups are the
 * group's linearizable reads. Opened by the OPEN its election appended, whose opening carries the incarnation and
 * the records recovery needs, each validated again as it is read, as a log read from storage would be. As the Raft
 * log does, it answers no lookup once a write failed, since that write may be committed all the same.
 */
final class SimulatedDecisionLog implements DecisionLog {
    private final SimulatedRaftLog raftLog;
    private final long term;
    private final SimulatedDecisionState.Opening opening;
    private long durableWrites;
    private boolean writeFailed;

    SimulatedDecisionLog(SimulatedRaftLog raftLog, long term, SimulatedDecisionState.Opening opening) {
        opening.recovered().forEach(DecisionRecords::validate);
        this.raftLog = raftLog;
        this.term = term;
        this.opening = opening;
    }

    @Override
    public List<DecisionRecord> recoveredRecords() {
        return opening.recovered();
    }

    @Override
    public long incarnation() {
        return opening.incarnation();
    }

    @Override
    public CompletableFuture<Void> appendDurably(DecisionRecord record) {
        DecisionRecords.validate(record);
        return raftLog.append(term, record).whenComplete((ignored, failure) -> {
            if (failure == null) {
                durableWrites++;
            } else {
                writeFailed = true;
            }
        });
    }

    /** A lazy write is a write nobody waits for: it counts as any other, or is lost with its leader. */
    @Override
    public void appendLazily(DecisionRecord record) {
        DecisionRecords.validate(record);
        raftLog.append(term, record).whenComplete((ignored, failure) -> writeFailed |= failure != null);
    }

    /** The simulated coordinator keeps every outcome in memory and never asks. */
    @Override
    public Optional<DecisionRecord.ClientOutcome> outcomeOf(String clientId) {
        throw new UnsupportedOperationException("the simulated coordinator keeps every outcome in memory");
    }

    @Override
    public Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId) {
        if (writeFailed) {
            throw new DecisionLogException("a write failed and may be committed all the same: cannot tell " + globalId);
        }
        return raftLog.commitDecisionOf(globalId);
    }

    /** Writes this node saw committed in its term; each Raft entry is forced on a majority of peers. */
    @Override
    public long forcedWrites() {
        return durableWrites;
    }

    @Override
    public void close() {}
}
