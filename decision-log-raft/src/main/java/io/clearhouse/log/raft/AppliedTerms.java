package io.clearhouse.log.raft;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * The term of every entry a peer applied since it last loaded a snapshot, kept as the index where each term began.
 * An applied entry is committed, so its term never changes: a leader may tell a follower the term of an entry it
 * purged from its log, which Ratis cannot (see {@link PurgedLogAwareGrpc}).
 *
 * <p>Written by Ratis' state machine updater, read by its log appenders, hence concurrent.
 */
final class AppliedTerms {
    /** Terms begun at most: one per election won, so a few hundred cover any log a follower could still need. */
    private static final int TERMS_KEPT = 1_024;

    private final ConcurrentSkipListMap<Long, Long> termByFirstIndex = new ConcurrentSkipListMap<>();
    private volatile long knownFrom;
    private volatile long lastApplied = -1;

    /** Forgets every term and starts after {@code snapshot}, the entry a loaded snapshot ends with. */
    synchronized void restartAfter(TermIndex snapshot) {
        termByFirstIndex.clear();
        knownFrom = Math.max(snapshot.getIndex(), 0);
        if (snapshot.getIndex() >= 0) {
            termByFirstIndex.put(snapshot.getIndex(), snapshot.getTerm());
        }
        lastApplied = snapshot.getIndex();
    }

    /** Notes that the entry {@code applied} was applied; entries come in the order of the log. */
    synchronized void applied(TermIndex applied) {
        Map.Entry<Long, Long> latest = termByFirstIndex.lastEntry();
        if (latest == null || latest.getValue() != applied.getTerm()) {
            termByFirstIndex.put(applied.getIndex(), applied.getTerm());
            if (termByFirstIndex.size() > TERMS_KEPT) {
                termByFirstIndex.pollFirstEntry();
                knownFrom = termByFirstIndex.firstKey();
            }
        }
        lastApplied = applied.getIndex();
    }

    /** The applied entry at {@code index} with its term, or null if it is not applied or its term was forgotten. */
    TermIndex termIndexOf(long index) {
        if (index < knownFrom || index > lastApplied) {
            return null;
        }
        Map.Entry<Long, Long> term = termByFirstIndex.floorEntry(index);
        return term == null ? null : TermIndex.valueOf(term.getValue(), index);
    }
}
