package io.clearhouse.core.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Decision records that outlive the log over them, as a file outlives a process: each {@link #open()} replays what
 * earlier logs made durable, and {@link #crash()} loses what was appended lazily and not yet carried by a durable
 * append. Tests use it to restart a coordinator without files; production has the file log for that.
 */
public final class DecisionLogStorage {
    private static final CompletableFuture<Void> DURABLE = CompletableFuture.completedFuture(null);

    private final List<DecisionRecord> durable = new ArrayList<>();
    private final List<DecisionRecord> pending = new ArrayList<>();
    private final RecordIndex index = new RecordIndex(0);
    private long forcedWrites;

    /** Replays the stored records and durably starts a new incarnation. */
    public synchronized DecisionLog open() {
        List<DecisionRecord> recovered = List.copyOf(durable);
        recovered.forEach(DecisionRecords::validate);
        long incarnation = DecisionLog.nextIncarnation(recovered);
        append(new DecisionRecord.Incarnation(incarnation), true);
        return new StoredLog(recovered, incarnation);
    }

    /** Loses every record appended lazily since the last durable append, as a crash of the process would. */
    public synchronized void crash() {
        pending.clear();
    }

    /** Every durable record, in order. */
    public synchronized List<DecisionRecord> records() {
        return List.copyOf(durable);
    }

    private synchronized void append(DecisionRecord record, boolean force) {
        pending.add(record);
        if (force) {
            flush();
            forcedWrites++;
        }
    }

    private synchronized void flush() {
        pending.forEach(index::add);
        durable.addAll(pending);
        pending.clear();
    }

    private synchronized long forcedWrites() {
        return forcedWrites;
    }

    /** One incarnation's log over the storage. */
    private final class StoredLog implements DecisionLog {
        private final List<DecisionRecord> recovered;
        private final long incarnation;

        StoredLog(List<DecisionRecord> recovered, long incarnation) {
            this.recovered = recovered;
            this.incarnation = incarnation;
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
            append(record, true);
            return DURABLE;
        }

        @Override
        public void appendLazily(DecisionRecord record) {
            DecisionRecords.validate(record);
            append(record, false);
        }

        @Override
        public Optional<DecisionRecord.ClientOutcome> outcomeOf(String clientId) {
            return index.outcomeOf(clientId);
        }

        @Override
        public Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId) {
            return index.commitDecisionOf(globalId);
        }

        @Override
        public long forcedWrites() {
            return DecisionLogStorage.this.forcedWrites();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
