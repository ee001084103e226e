package io.clearhouse.core.engine;

import io.clearhouse.core.log.GlobalIds;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;

/**
 * Hands out the {@linkplain GlobalIds global ids} of attempts and keeps the ids of those in flight, so that recovery
 * while running can tell a branch it may resolve from one it must not touch.
 *
 * <p>A {@link Snapshot} is taken before any bank is asked for its prepared branches. Whatever a bank reports
 * afterwards belongs either to an attempt the snapshot names as possibly in flight (in flight at that moment, or
 * begun since, with a higher sequence), or to one that was already over: its machine will make no further call
 * except a rollback, so a decision taken from the log and the engine's records cannot contradict it. Taking the
 * set only after the bank answered would not do: an attempt could commit and leave the set in between, and its
 * stale prepared branch would be rolled back under presumed abort.
 */
final class InFlightTransactions {
    private final String idPrefix;
    private final AtomicLong sequence = new AtomicLong();
    private final Set<String> globalIds = ConcurrentHashMap.newKeySet();
    /**
     * Makes numbering and registering one step as a snapshot sees them: without it, an attempt could take its
     * sequence before the snapshot reads the highest one, yet join the set only after the snapshot copied it.
     * Attempts take it shared, so they never wait for each other, only for a snapshot reading one number.
     */
    private final StampedLock numbering = new StampedLock();
    /** Set by {@link #awaitNoneInFlight}; until then the end of an attempt costs no lock. */
    private volatile boolean awaited;

    InFlightTransactions(long incarnation) {
        this.idPrefix = GlobalIds.prefixOf(incarnation);
    }

    /** A new attempt's global id, registered as in flight before any bank hears of it. */
    String begin() {
        long stamp = numbering.readLock();
        try {
            String globalId = idPrefix + sequence.incrementAndGet();
            globalIds.add(globalId);
            return globalId;
        } finally {
            numbering.unlockRead(stamp);
        }
    }

    /** How many attempts began since the engine opened, ended or not. */
    long begun() {
        return sequence.get();
    }

    /** How many attempts are in flight now. */
    int count() {
        return globalIds.size();
    }

    /** The attempt is over: its machine completed, and sends nothing more but a rollback. */
    void end(String globalId) {
        globalIds.remove(globalId);
        if (awaited && globalIds.isEmpty()) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /**
     * Waits until no attempt is in flight, or {@code timeoutMillis} passed; answers whether none is. Closing waits so,
     * since attempts that callbacks on the engine's threads submitted hold no in-flight permit to wait for.
     */
    synchronized boolean awaitNoneInFlight(long timeoutMillis) throws InterruptedException {
        awaited = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!globalIds.isEmpty()) {
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMillis <= 0) {
                return false;
            }
            wait(remainingMillis);
        }
        return true;
    }

    Snapshot snapshot() {
        long stamp = numbering.writeLock();
        long lastSequence;
        try {
            lastSequence = sequence.get();
        } finally {
            numbering.unlockWrite(stamp);
        }
        // Copied after the lock: every attempt numbered up to lastSequence is in the set already, and one that leaves
        // it before the copy is over before any bank is asked, which is all a snapshot promises.
        return new Snapshot(idPrefix, lastSequence, Set.copyOf(globalIds));
    }

    /** The attempts that may still be in flight, as of the moment the snapshot was taken. */
    record Snapshot(String idPrefix, long lastSequence, Set<String> inFlight) {
        /**
         * Whether the attempt {@code globalId} may be in flight: it was when the snapshot was taken, or it began
         * later. An id of an earlier incarnation never is; nor is one this coordinator did not make.
         */
        boolean mayBeInFlight(String globalId) {
            if (!globalId.startsWith(idPrefix)) {
                return false;
            }
            long attemptSequence;
            try {
                attemptSequence = GlobalIds.sequenceOf(globalId);
            } catch (NumberFormatException e) {
                return false;
            }
            return attemptSequence > lastSequence || inFlight.contains(globalId);
        }
    }
}
