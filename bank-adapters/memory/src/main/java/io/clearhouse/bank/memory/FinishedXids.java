package io.clearhouse.bank.memory;

import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The markers of finished xids (committed, rolled back, or rolled back before any prepare), kept so that a late or
 * repeated prepare is answered without applying anything: COMMIT for a committed xid, ABORT(TIMEOUT) for a rolled
 * back one.
 *
 * <p>Bounded by generations: markers go into the current generation; when it holds {@code finishedXidsMax}, or is
 * older than the retention (looked at every {@value #CLOCK_LOOK_INTERVAL} markers, so the clock costs nothing per
 * marker), it becomes the previous one and the generation before is dropped whole. The bank thus remembers a
 * finished xid until it has finished {@code finishedXidsMax} more, or until the retention has passed and {@value
 * #CLOCK_LOOK_INTERVAL} more were finished, whichever comes first, and holds at most twice either bound, without a
 * per-marker queue node or eviction work. A forgotten committed xid would be prepared afresh by a repeated prepare,
 * and a forgotten rollback would let a late prepare hold; so the bounds must exceed what a bank finishes while a
 * duplicate or late message can still be in flight. A marker costs about 100 bytes beyond the xid's own strings.
 */
final class FinishedXids {
    private static final int GENERATION_PRESIZE_MAX = 1024;
    static final int CLOCK_LOOK_INTERVAL = 64;

    private final int finishedXidsMax;
    private final long retentionNanos;
    private final LongSupplier nanoClock;
    private volatile Map<Xid, BranchState> current;
    private volatile Map<Xid, BranchState> previous;
    private volatile long currentStartedAt;

    FinishedXids(int finishedXidsMax, long retentionMillis) {
        this(finishedXidsMax, retentionMillis, System::nanoTime);
    }

    /** With {@code nanoClock} in place of {@link System#nanoTime()}, for a test that moves time itself. */
    FinishedXids(int finishedXidsMax, long retentionMillis, LongSupplier nanoClock) {
        if (finishedXidsMax < 1) {
            throw new IllegalArgumentException("finishedXidsMax must be at least 1: " + finishedXidsMax);
        }
        if (retentionMillis < 1) {
            throw new IllegalArgumentException("retentionMillis must be at least 1: " + retentionMillis);
        }
        this.finishedXidsMax = finishedXidsMax;
        this.retentionNanos = TimeUnit.MILLISECONDS.toNanos(retentionMillis);
        this.nanoClock = nanoClock;
        this.current = newGeneration();
        this.previous = newGeneration();
        this.currentStartedAt = nanoClock.getAsLong();
    }

    /** A map sized for a generation if that is small, so that filling it does not resize it several times. */
    private Map<Xid, BranchState> newGeneration() {
        return new ConcurrentHashMap<>(Math.min(finishedXidsMax, GENERATION_PRESIZE_MAX));
    }

    /** How {@code xid} finished, or null if it did not or was forgotten. */
    BranchState get(Xid xid) {
        BranchState state = current.get(xid);
        return state != null ? state : previous.get(xid);
    }

    /** Records that {@code xid} finished as {@code state}. */
    void put(Xid xid, BranchState state) {
        Map<Xid, BranchState> generation = current;
        generation.put(xid, state);
        int size = generation.size();
        if (size >= finishedXidsMax
                || (size % CLOCK_LOOK_INTERVAL == 0 && nanoClock.getAsLong() - currentStartedAt >= retentionNanos)) {
            startGeneration(generation);
        }
    }

    private synchronized void startGeneration(Map<Xid, BranchState> ended) {
        if (current == ended) {
            previous = ended;
            current = newGeneration();
            currentStartedAt = nanoClock.getAsLong();
        }
    }

    /** Every remembered marker, older generation first; for a snapshot taken while nothing else runs. */
    List<Map.Entry<Xid, BranchState>> entries() {
        List<Map.Entry<Xid, BranchState>> entries = new ArrayList<>(previous.entrySet());
        for (Map.Entry<Xid, BranchState> entry : current.entrySet()) {
            if (!previous.containsKey(entry.getKey())) {
                entries.add(entry);
            }
        }
        return entries;
    }
}
