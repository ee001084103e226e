package io.clearhouse.core.log;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the coordinator keeps what it must not forget: commit decisions, the outcomes clients were told, and the
 * incarnation that makes transaction ids unique across restarts.
 *
 * <p>Opening a log replays it: {@link #recoveredRecords()} returns what earlier incarnations wrote, and the log
 * durably records a new {@link DecisionRecord.Incarnation} one above the highest it found. Every record is
 * validated with {@link DecisionRecords#validate} before it is written and when it is read back.
 *
 * <p>Implementations are thread-safe. Concurrent durable appends should share forced writes (group commit).
 */
public interface DecisionLog extends AutoCloseable {
    /** The records found at open, in the order they were written; the current incarnation's marker excluded. */
    List<DecisionRecord> recoveredRecords();

    /** This opening's incarnation number, already durable. */
    long incarnation();

    /**
     * Appends {@code record} and forces it to stable storage. Concurrent calls share forced writes.
     *
     * @return completes once the record is durable, or exceptionally with a {@link DecisionLogException}
     */
    CompletableFuture<Void> appendDurably(DecisionRecord record);

    /** Appends {@code record} without waiting for it to be durable; a later forced write or close carries it. */
    void appendLazily(DecisionRecord record);

    /** How many forced writes the log has made since it opened. */
    long forcedWrites();

    /** Flushes lazily appended records and releases the log. */
    @Override
    void close();
}
