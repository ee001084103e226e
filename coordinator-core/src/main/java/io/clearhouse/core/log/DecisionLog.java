package io.clearhouse.core.log;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the coordinator keeps what it must not forget: commit decisions, the outcomes clients were told, and the
 * incarnation that makes transaction ids unique across restarts.
 *
 * <p>Opening a log replays it: {@link #recoveredRecords()} returns what recovery needs of what earlier incarnations
 * wrote, and the log durably records a new {@link DecisionRecord.Incarnation} one above the highest it found. Every
 * record is validated with {@link DecisionRecords#validate} before it is written and when it is read back.
 *
 * <p>A coordinator that keeps only recent outcomes in memory asks the log for older ones with {@link
 * #outcomeOf(String)}, so the log must answer for every client id whose outcome it holds durably. An empty answer
 * is taken as "none": recovery rolls back a branch whose decision the log does not hold. A log that cannot tell (its
 * storage is out of reach, or a write it reported failed may have reached the storage all the same) throws
 * {@link DecisionLogException} instead.
 *
 * <p>Implementations are thread-safe. Concurrent durable appends should share forced writes (group commit).
 */
public interface DecisionLog extends AutoCloseable {
    /**
     * Records found at open, in the order they were written, the current incarnation's marker excluded: at least
     * every incarnation marker and every commit decision that no {@link DecisionRecord.Completion} follows. A log
     * may return more (the file log returns every record it keeps); other commit decisions are found with {@link
     * #commitDecisionOf}, outcomes with {@link #outcomeOf}.
     */
    List<DecisionRecord> recoveredRecords();

    /** This opening's incarnation number, already durable. */
    long incarnation();

    /** The incarnation an opening starts after replaying {@code recovered}: one above the highest marker, else 1. */
    static long nextIncarnation(List<DecisionRecord> recovered) {
        long next = 1;
        for (DecisionRecord record : recovered) {
            if (record instanceof DecisionRecord.Incarnation marker) {
                next = Math.max(next, marker.number() + 1);
            }
        }
        return next;
    }

    /**
     * Appends {@code record} and forces it to stable storage. Concurrent calls share forced writes.
     *
     * @return completes once the record is durable, or exceptionally with a {@link DecisionLogException}
     */
    CompletableFuture<Void> appendDurably(DecisionRecord record);

    /** Appends {@code record} without waiting for it to be durable; a later forced write or close carries it. */
    void appendLazily(DecisionRecord record);

    /**
     * The first outcome record of {@code clientId} the log holds durably; empty when it holds none. Called when a
     * client id is not in the coordinator's memory, so a log should answer a new id without reading its storage when
     * it can.
     *
     * @throws DecisionLogException if the log cannot be read, or cannot tell
     */
    Optional<DecisionRecord.ClientOutcome> outcomeOf(String clientId);

    /**
     * The outcome of {@code clientId} as {@link #outcomeOf} tells it, asked before the coordinator decides a new
     * attempt for that id. A log that refuses the writes of a writer another has replaced (the Raft log, whose
     * writer is the leader of one term) may answer from a copy the newer writer's records have not reached: a
     * decision taken on that answer is refused when it is written, and every outcome a client is told is written
     * first, so the id is neither decided twice nor answered wrongly.
     */
    default Optional<DecisionRecord.ClientOutcome> outcomeBeforeDeciding(String clientId) {
        return outcomeOf(clientId);
    }

    /**
     * The commit decision of the attempt {@code globalId} the log holds durably; empty when it holds none. Recovery
     * asks for the branches banks hold prepared: a completion record says every bank acknowledged its commit, not
     * that every bank had made it durable, so a bank may still hold a branch of a completed decision after a crash.
     *
     * @throws DecisionLogException if the log cannot be read, or cannot tell
     */
    Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId);

    /** How many forced writes the log has made since it opened. */
    long forcedWrites();

    /** Flushes lazily appended records and releases the log. */
    @Override
    void close();
}
