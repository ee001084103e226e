package io.clearhouse.core.simulation;

import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.log.DecisionRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A decision log with group commit in virtual time: appends wait in a pending group, and a flush some time later
 * makes the whole group durable and completes its futures. A crash loses the pending group, lazy and durable
 * appends alike, and its futures never complete.
 */
final class SimulatedDecisionLog implements DecisionLog {
    /** What survives crashes. */
    static final class Disk {
        private final List<DecisionRecord> durable = new ArrayList<>();

        List<DecisionRecord> records() {
            return List.copyOf(durable);
        }
    }

    private final Disk disk;
    private final Scheduler scheduler;
    private final long flushDelayMaxMillis;
    private final List<DecisionRecord> recovered;
    private final long incarnation;
    private final List<DecisionRecord> pending = new ArrayList<>();
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean flushScheduled;
    private boolean crashed;
    private long forcedWrites;

    SimulatedDecisionLog(Disk disk, Scheduler scheduler, long flushDelayMaxMillis) {
        this.disk = disk;
        this.scheduler = scheduler;
        this.flushDelayMaxMillis = flushDelayMaxMillis;
        this.recovered = disk.records();
        long highest = 0;
        for (DecisionRecord record : recovered) {
            DecisionRecords.validate(record);
            if (record instanceof DecisionRecord.Incarnation marker) {
                highest = Math.max(highest, marker.number());
            }
        }
        this.incarnation = highest + 1;
        disk.durable.add(new DecisionRecord.Incarnation(incarnation));
    }

    void crash() {
        crashed = true;
        pending.clear();
        waiting.clear();
    }

    @Override
    public List<DecisionRecord> recoveredRecords() {
        return recovered;
    }

    @Override
    public long incarnation() {
        return incarnation;
    }

    @Override
    public CompletableFuture<Void> appendDurably(DecisionRecord record) {
        DecisionRecords.validate(record);
        CompletableFuture<Void> durable = new CompletableFuture<>();
        if (crashed) {
            return durable;
        }
        pending.add(record);
        waiting.add(durable);
        if (!flushScheduled) {
            flushScheduled = true;
            scheduler.after(scheduler.between(0, flushDelayMaxMillis), this::flush);
        }
        return durable;
    }

    /** The simulated coordinator keeps every outcome in memory and never asks. */
    @Override
    public Optional<DecisionRecord.ClientOutcome> outcomeOf(String clientId) {
        throw new UnsupportedOperationException("the simulated coordinator keeps every outcome in memory");
    }

    @Override
    public Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId) {
        for (DecisionRecord record : disk.durable) {
            if (record instanceof DecisionRecord.CommitDecision commit
                    && commit.globalId().equals(globalId)) {
                return Optional.of(commit);
            }
        }
        return Optional.empty();
    }

    @Override
    public void appendLazily(DecisionRecord record) {
        DecisionRecords.validate(record);
        if (!crashed) {
            pending.add(record);
        }
    }

    private void flush() {
        flushScheduled = false;
        if (crashed) {
            return;
        }
        disk.durable.addAll(pending);
        pending.clear();
        forcedWrites++;
        List<CompletableFuture<Void>> done = new ArrayList<>(waiting);
        waiting.clear();
        done.forEach(future -> future.complete(null));
    }

    @Override
    public long forcedWrites() {
        return forcedWrites;
    }

    @Override
    public void close() {
        if (!crashed) {
            disk.durable.addAll(pending);
            pending.clear();
        }
    }
}
