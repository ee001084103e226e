package io.clearhouse.core.log;

import io.clearhouse.journal.Journal;
import io.clearhouse.journal.JournalException;
import io.clearhouse.journal.JournalOptions;
import io.clearhouse.journal.JournalSegments;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The embedded decision log: records in a {@link Journal} (append-only, checksummed, group commit), so concurrent
 * decisions share one forced write. Opening it replays and validates every record, then durably starts a new
 * incarnation. The records are kept in segment files, so that a retention ({@link LogRetention}) can drop the
 * finished transactions of the oldest ones whole: the file, the indexes and the time an opening takes follow the
 * retention, not the history of the directory.
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
    private final JournalSegments segments;
    private final Journal journal;
    private final List<DecisionRecord> recovered;
    private final long incarnation;
    private final RecordIndex index;
    private volatile Throwable writeFailure;

    private FileDecisionLog(
            JournalSegments segments, Journal journal, List<DecisionRecord> recovered, long incarnation) {
        this.segments = segments;
        this.journal = journal;
        this.recovered = recovered;
        this.incarnation = incarnation;
        this.index = new RecordIndex(recovered.size());
        recovered.forEach(index::add);
    }

    /**
     * Opens (or creates) the log whose first segment is {@code file}, keeping every record for ever.
     *
     * @throws DecisionLogException if the file cannot be opened or holds a record that is not valid
     */
    public static FileDecisionLog open(Path file, JournalOptions options) {
        return open(file, options, LogRetention.keepingEverything());
    }

    /**
     * Opens (or creates) the log whose first segment is {@code file} ({@link JournalSegments}). Keeping everything,
     * it appends to its newest segment. With a retention, every opening starts a new segment, so that a segment's
     * last write dates the transactions it finished; the segments last written longer ago than the retention are
     * then deleted, after what must outlive them ({@link ExpiredRecords}) is written into the new segment and forced
     * with the new incarnation's marker. A crash before the deletion leaves those records twice, which replay takes
     * as it takes any repeated record: the first of an id stays.
     *
     * @throws DecisionLogException if a segment cannot be opened or holds a record that is not valid
     */
    public static FileDecisionLog open(Path file, JournalOptions options, LogRetention retention) {
        JournalSegments segments;
        try {
            segments = JournalSegments.lock(file, options);
        } catch (JournalException e) {
            throw new DecisionLogException("cannot open the decision log " + file, e);
        }
        SegmentReplay replay = null;
        try {
            replay = retention.keepsEverything()
                    ? SegmentReplay.appendingToNewest(segments, file, options)
                    : SegmentReplay.startingNewSegment(segments, options, retention);
            long incarnation = DecisionLog.nextIncarnation(replay.recovered());
            replay.journal()
                    .appendDurablyAndWait(DecisionRecordCodec.encode(new DecisionRecord.Incarnation(incarnation)));
            segments.delete(replay.expired());
            return new FileDecisionLog(segments, replay.journal(), List.copyOf(replay.recovered()), incarnation);
        } catch (RuntimeException e) {
            closeAfterFailure(replay, segments, e);
            throw e instanceof DecisionLogException logException
                    ? logException
                    : new DecisionLogException("cannot open the decision log " + file, e);
        }
    }

    private static void closeAfterFailure(SegmentReplay replay, JournalSegments segments, RuntimeException primary) {
        try (segments) {
            if (replay != null) {
                replay.journal().close();
            }
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
        try (segments) {
            journal.close();
        } catch (JournalException e) {
            throw new DecisionLogException("cannot close the decision log", e);
        }
    }
}
