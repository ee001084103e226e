package io.clearhouse.bank.memory;

import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The markers of finished xids (committed, rolled back, or rolled back before any prepare), kept so that a late or
 * repeated prepare is answered without applying anything: COMMIT for a committed xid, ABORT(TIMEOUT) for a rolled
 * back one.
 *
 * <p>Bounded by generations: markers go into the current generation; when it holds {@code finishedXidsMax}, it
 * becomes the previous one and the generation before is dropped whole. The bank thus remembers at least the last
 * {@code finishedXidsMax} finished xids and at most twice as many, without a per-marker queue node or eviction work.
 * A forgotten committed xid would be prepared afresh by a repeated prepare, and a forgotten rollback would let a late
 * prepare hold; so the bound must exceed the number of branches a bank finishes while a duplicate or late message can
 * still be in flight. A marker costs about 100 bytes beyond the xid's own strings.
 */
final class FinishedXids {
    private static final int GENERATION_PRESIZE_MAX = 1024;

    private final int finishedXidsMax;
    private volatile Map<Xid, BranchState> current;
    private volatile Map<Xid, BranchState> previous;

    FinishedXids(int finishedXidsMax) {
        if (finishedXidsMax < 1) {
            throw new IllegalArgumentException("finishedXidsMax must be at least 1: " + finishedXidsMax);
        }
        this.finishedXidsMax = finishedXidsMax;
        this.current = newGeneration();
        this.previous = newGeneration();
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
        if (generation.size() >= finishedXidsMax) {
            startGeneration(generation);
        }
    }

    private synchronized void startGeneration(Map<Xid, BranchState> full) {
        if (current == full) {
            previous = full;
            current = newGeneration();
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
