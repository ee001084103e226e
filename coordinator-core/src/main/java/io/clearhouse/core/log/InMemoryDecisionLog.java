package io.clearhouse.core.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A decision log held in memory. {@link #discarding()} keeps nothing and serves plain batches, where a crash loses
 * the whole run anyway (it knows no outcome, so the coordinator over it must keep every outcome in memory); a {@link
 * Storage} keeps records across {@link Storage#open() reopens} within one process, with a crash that loses what was
 * appended lazily and not yet carried by a durable append, as a file would.
 */
public final class InMemoryDecisionLog implements DecisionLog {
    private static final CompletableFuture<Void> DURABLE = CompletableFuture.completedFuture(null);

    private final Storage storage;
    private final List<DecisionRecord> recovered;
    private final long incarnation;

    private InMemoryDecisionLog(Storage storage, List<DecisionRecord> recovered, long incarnation) {
        this.storage = storage;
        this.recovered = recovered;
        this.incarnation = incarnation;
    }

    /** A log that validates and forgets every record: nothing survives, nothing is replayed. */
    public static InMemoryDecisionLog discarding() {
        return new InMemoryDecisionLog(null, List.of(), 1);
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
        if (storage != null) {
            storage.append(record, true);
        }
        return DURABLE;
    }

    @Override
    public void appendLazily(DecisionRecord record) {
        DecisionRecords.validate(record);
        if (storage != null) {
            storage.append(record, false);
        }
    }

    @Override
    public Optional<DecisionRecord.ClientOutcome> outcomeOf(String clientId) {
        return storage == null ? Optional.empty() : storage.index.outcomeOf(clientId);
    }

    @Override
    public Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId) {
        return storage == null ? Optional.empty() : storage.index.commitDecisionOf(globalId);
    }

    @Override
    public long forcedWrites() {
        return storage == null ? 0 : storage.forcedWrites();
    }

    @Override
    public void close() {
        if (storage != null) {
            storage.flush();
        }
    }

    /** Records that outlive one {@link InMemoryDecisionLog}, as a file outlives a process. */
    public static final class Storage {
        private final List<DecisionRecord> durable = new ArrayList<>();
        private final List<DecisionRecord> pending = new ArrayList<>();
        private final RecordIndex index = new RecordIndex();
        private long forcedWrites;

        /** Replays the stored records and durably starts a new incarnation. */
        public synchronized InMemoryDecisionLog open() {
            List<DecisionRecord> recovered = List.copyOf(durable);
            recovered.forEach(DecisionRecords::validate);
            long incarnation = DecisionLog.nextIncarnation(recovered);
            append(new DecisionRecord.Incarnation(incarnation), true);
            return new InMemoryDecisionLog(this, recovered, incarnation);
        }

        /** Loses every record appended lazily since the last durable append, as a crash of the process would. */
        public synchronized void crash() {
            pending.clear();
        }

        /** Every durable record, in order. */
        public synchronized List<DecisionRecord> records() {
            return List.copyOf(durable);
        }

        synchronized void append(DecisionRecord record, boolean force) {
            pending.add(record);
            if (force) {
                flush();
                forcedWrites++;
            }
        }

        synchronized void flush() {
            pending.forEach(index::add);
            durable.addAll(pending);
            pending.clear();
        }

        synchronized long forcedWrites() {
            return forcedWrites;
        }
    }
}
