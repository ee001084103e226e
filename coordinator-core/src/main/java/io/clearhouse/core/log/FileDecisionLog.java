package io.clearhouse.core.log;

import io.clearhouse.journal.Journal;
import io.clearhouse.journal.JournalException;
import io.clearhouse.journal.JournalOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The embedded decision log: records in a {@link Journal} (append-only, checksummed, group commit), so concurrent
 * decisions share one forced write. Opening it replays and validates every record, then durably starts a new
 * incarnation.
 *
 * <p>It answers {@link #outcomeOf} and {@link #commitDecisionOf} from indexes in memory of the records replayed or
 * appended durably (both point at the same records; the coordinator appends those two kinds durably): the file
 * log serves embedded runs, whose ids a batch file or a benchmark bounds; a server keeps its outcomes in PostgreSQL.
 *
 * <p>A write or force that fails ends the journal, and may still have put some of the records it reported failed on
 * disk: a group written in part, or a force that failed after the data reached the device. From then on the indexes
 * no longer say what the file holds, so lookups fail rather than answer "no decision", which recovery would take as
 * an abort; the next open reads what the file holds.
 */
public final class FileDecisionLog implements DecisionLog {
    private final Journal journal;
    private final List<DecisionRecord> recovered;
    private final long incarnation;
    private final RecordIndex index = new RecordIndex();
    private volatile Throwable writeFailure;

    private FileDecisionLog(Journal journal, List<DecisionRecord> recovered, long incarnation) {
        this.journal = journal;
        this.recovered = recovered;
        this.incarnation = incarnation;
        recovered.forEach(index::add);
    }

    /**
     * Opens (or creates) the log in {@code file}.
     *
     * @throws DecisionLogException if the file cannot be opened or holds a record that is not valid
     */
    public static FileDecisionLog open(Path file, JournalOptions options) {
        Journal journal;
        try {
            journal = Journal.open(file, options);
        } catch (JournalException e) {
            throw new DecisionLogException("cannot open the decision log " + file, e);
        }
        try {
            List<DecisionRecord> recovered =
                    new ArrayList<>(journal.recoveredRecords().size());
            long incarnation = 1;
            for (byte[] bytes : journal.recoveredRecords()) {
                DecisionRecord record = DecisionRecordCodec.decode(bytes);
                if (record instanceof DecisionRecord.Incarnation marker) {
                    incarnation = Math.max(incarnation, marker.number() + 1);
                }
                recovered.add(record);
            }
            journal.appendDurablyAndWait(DecisionRecordCodec.encode(new DecisionRecord.Incarnation(incarnation)));
            return new FileDecisionLog(journal, List.copyOf(recovered), incarnation);
        } catch (RuntimeException e) {
            closeAfterFailure(journal, e);
            throw e instanceof DecisionLogException logException
                    ? logException
                    : new DecisionLogException("cannot open the decision log " + file, e);
        }
    }

    private static void closeAfterFailure(Journal journal, RuntimeException primary) {
        try {
            journal.close();
        } catch (JournalException e) {
            primary.addSuppressed(e);
        }
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
        byte[] bytes = DecisionRecordCodec.encode(record);
        try {
            // Indexed once durable and before the caller hears so: the log answers only for what it holds, and a
            // caller that forgets the outcome on completion finds it here at once. A failure is noted before the
            // caller hears of it too, so no lookup made after that answers from indexes the file may contradict.
            // The journal's own future fails with its JournalException, not wrapped.
            return journal.appendDurably(bytes).whenComplete((durable, failure) -> {
                if (failure == null) {
                    index.add(record);
                } else {
                    writeFailure = failure;
                }
            });
        } catch (JournalException e) {
            throw new DecisionLogException("cannot append to the decision log", e);
        }
    }

    @Override
    public void appendLazily(DecisionRecord record) {
        byte[] bytes = DecisionRecordCodec.encode(record);
        try {
            journal.append(bytes);
        } catch (JournalException e) {
            throw new DecisionLogException("cannot append to the decision log", e);
        }
    }

    @Override
    public Optional<DecisionRecord.ClientOutcome> outcomeOf(String clientId) {
        requireSettled();
        return index.outcomeOf(clientId);
    }

    @Override
    public Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId) {
        requireSettled();
        return index.commitDecisionOf(globalId);
    }

    private void requireSettled() {
        Throwable failure = writeFailure;
        if (failure != null) {
            throw new DecisionLogException(
                    "the decision log failed a write, which may have reached the disk all the same; what it holds is"
                            + " known again when it is opened anew",
                    failure);
        }
    }

    @Override
    public long forcedWrites() {
        return journal.forcedWrites();
    }

    @Override
    public void close() {
        try {
            journal.close();
        } catch (JournalException e) {
            throw new DecisionLogException("cannot close the decision log", e);
        }
    }
}
