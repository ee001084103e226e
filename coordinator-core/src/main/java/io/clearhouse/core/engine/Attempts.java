package io.clearhouse.core.engine;

import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionRecord;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The engine's memory of client ids, in front of the decision log, which holds every outcome durably: every attempt
 * in flight, and finished ones up to {@code finishedMax} (0 keeps them all). A client id missing from memory is
 * looked up in the log before it counts as new, so an outcome forgotten here, or written by an earlier incarnation,
 * is still answered and never executed twice.
 *
 * <p>While the claimant of a new id reads the log, its attempt is in the table marked as checking; a concurrent
 * submission of the same id waits for that check rather than compare itself with an attempt that may yet be
 * replaced by the log's record.
 *
 * <p>An attempt whose decision write failed has no known outcome: the write may have reached the log all the same (a
 * database commit whose answer was lost). A retry or a lookup of its id asks the log again and answers what it
 * recorded; while the log holds nothing, or cannot tell, the retry gets the same failure. The id is never run again
 * while this engine runs, since a decision that reaches the log late would then apply the transfer twice.
 */
final class Attempts {
    private final ConcurrentHashMap<String, Attempt> byClientId;
    private final DecisionLog log;
    private final int finishedMax;
    /**
     * The ids of the last {@code finishedMax} finishes, as a ring: the id a finish overwrites finished {@code
     * finishedMax} finishes ago. A ring of references made once costs no node per finish, as a queue would.
     */
    private final AtomicReferenceArray<String> finishedRing;

    private final AtomicLong finishes = new AtomicLong();

    /**
     * @param expected how many ids the table should hold without resizing, or 0 when unknown
     * @param finishedMax how many finished attempts to keep in memory, the most recent; 0 keeps all
     */
    Attempts(int expected, int finishedMax, DecisionLog log) {
        this.byClientId = expected == 0 ? new ConcurrentHashMap<>() : new ConcurrentHashMap<>(expected);
        this.finishedMax = finishedMax;
        this.finishedRing = finishedMax == 0 ? null : new AtomicReferenceArray<>(finishedMax);
        this.log = log;
    }

    /**
     * Claims {@code clientId} for {@code fresh}, an attempt {@linkplain Attempt#claiming claiming} it.
     *
     * @return null when the id is new and now belongs to {@code fresh}; otherwise the attempt already known for it,
     *     in flight or finished, from memory or from the log's record
     * @throws io.clearhouse.core.log.DecisionLogException if the log cannot be read; the id stays unclaimed
     */
    Attempt claim(String clientId, Attempt fresh) {
        while (true) {
            Attempt earlier = byClientId.putIfAbsent(clientId, fresh);
            if (earlier == null) {
                return checkLog(clientId, fresh);
            }
            if (!earlier.awaitChecked()) {
                return asKnownNow(clientId, earlier);
            }
            // It was being checked: the log's record may have replaced it, or a failed read removed it.
        }
    }

    private Attempt checkLog(String clientId, Attempt fresh) {
        Optional<DecisionRecord.ClientOutcome> recorded;
        try {
            recorded = log.outcomeBeforeDeciding(clientId);
        } catch (RuntimeException e) {
            byClientId.remove(clientId, fresh);
            fresh.checked();
            throw e;
        }
        if (recorded.isEmpty()) {
            fresh.checked();
            return null;
        }
        Attempt known = Attempt.recorded(recorded.get());
        byClientId.replace(clientId, fresh, known);
        fresh.checked();
        finished(clientId);
        return known;
    }

    /** {@code attempt}, or, if its decision write failed, what the log has recorded of it since. */
    private Attempt asKnownNow(String clientId, Attempt attempt) {
        return attempt.outcomeUnknown() ? recordedAfterFailure(clientId, attempt) : attempt;
    }

    /**
     * What the log recorded of {@code failed}'s id after all, with the failed attempt's own completion, since its
     * phase two is left to the in-doubt pass; {@code failed} itself while the log holds nothing or cannot tell.
     */
    private Attempt recordedAfterFailure(String clientId, Attempt failed) {
        try {
            return log.outcomeOf(clientId)
                    .map(record -> failed.recordedAfterFailure(record.outcome()))
                    .orElse(failed);
        } catch (DecisionLogException e) {
            return failed;
        }
    }

    /** What is known of {@code clientId}, in memory or in the log; null if nothing. Adds nothing to memory. */
    Attempt find(String clientId) {
        Attempt attempt = byClientId.get(clientId);
        if (attempt == null || attempt.checking()) {
            return log.outcomeOf(clientId).map(Attempt::recorded).orElse(null);
        }
        return asKnownNow(clientId, attempt);
    }

    /**
     * Notes that the attempt of {@code clientId} finished; beyond {@code finishedMax} finished attempts, the oldest
     * leaves memory, if it is still finished (a retry of a forgotten id may have brought it back meanwhile).
     */
    void finished(String clientId) {
        if (finishedMax == 0) {
            return;
        }
        int slot = (int) (finishes.getAndIncrement() % finishedMax);
        String oldest = finishedRing.getAndSet(slot, clientId);
        if (oldest != null) {
            forgetIfFinished(oldest);
        }
    }

    /**
     * Forgets {@code clientId} if its attempt is over: a retry of a forgotten id may have brought it back in flight
     * meanwhile. An attempt once finished stays finished, and the removal takes only that same attempt.
     */
    private void forgetIfFinished(String clientId) {
        Attempt attempt = byClientId.get(clientId);
        if (attempt != null && attempt.isFinished()) {
            byClientId.remove(clientId, attempt);
        }
    }
}
