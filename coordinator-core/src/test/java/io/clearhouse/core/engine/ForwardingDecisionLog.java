package io.clearhouse.core.engine;

import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionRecord;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A real decision log behind every call, so that a test's log overrides only the calls its story changes. */
class ForwardingDecisionLog implements DecisionLog {
    private final DecisionLog real;

    ForwardingDecisionLog(DecisionLog real) {
        this.real = real;
    }

    @Override
    public List<DecisionRecord> recoveredRecords() {
        return real.recoveredRecords();
    }

    @Override
    public long incarnation() {
        return real.incarnation();
    }

    @Override
    public CompletableFuture<Void> appendDurably(DecisionRecord record) {
        return real.appendDurably(record);
    }

    @Override
    public void appendLazily(DecisionRecord record) {
        real.appendLazily(record);
    }

    @Override
    public Optional<DecisionRecord.ClientOutcome> outcomeOf(String clientId) {
        return real.outcomeOf(clientId);
    }

    @Override
    public Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId) {
        return real.commitDecisionOf(globalId);
    }

    @Override
    public long forcedWrites() {
        return real.forcedWrites();
    }

    @Override
    public void close() {
        real.close();
    }
}
