package io.clearhouse.core.log;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A decision log held in memory that keeps nothing. It serves plain batches, where a crash loses the whole run anyway;
 * it knows no outcome, so the coordinator over it must keep every outcome in memory. It still validates every record,
 * so that a batch writes nothing a durable log would refuse.
 */
public final class InMemoryDecisionLog implements DecisionLog {
    private static final CompletableFuture<Void> DURABLE = CompletableFuture.completedFuture(null);

    private InMemoryDecisionLog() {}

    /** A log that validates and forgets every record: nothing survives, nothing is replayed. */
    public static InMemoryDecisionLog discarding() {
        return new InMemoryDecisionLog();
    }

    @Override
    public List<DecisionRecord> recoveredRecords() {
        return List.of();
    }

    @Override
    public long incarnation() {
        return 1;
    }

    @Override
    public CompletableFuture<Void> appendDurably(DecisionRecord record) {
        DecisionRecords.validate(record);
        return DURABLE;
    }

    @Override
    public void appendLazily(DecisionRecord record) {
        DecisionRecords.validate(record);
    }

    @Override
    public Optional<DecisionRecord.ClientOutcome> outcomeOf(String clientId) {
        return Optional.empty();
    }

    @Override
    public Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId) {
        return Optional.empty();
    }

    @Override
    public long forcedWrites() {
        return 0;
    }

    @Override
    public void close() {}
}
