package io.clearhouse.core.simulation;

import io.clearhouse.core.log.DecisionRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state machine of the replicated decision log, as the Raft design has it: every peer applies the committed
 * entries in log order, and an OPEN or APPEND entry counts only if its Raft term equals the term its writer tagged it
 * with, that is only if the leader of that term appended it. That rule is the fencing: a deposed leader that still
 * believes it leads has its writes appended by the new leader, in the new term, and refused here; what it appended
 * in its own term, on the other hand, is committed before the new leader's OPEN if the new leader's log holds it, and
 * counts. Keeps every entry applied, refused ones too, so the checks can judge the fencing after the run.
 */
final class SimulatedDecisionState {
    /** What an entry asks of the state machine. */
    enum Kind {
        /** Start the next incarnation and answer with the records recovery needs. */
        OPEN,
        /** Apply one decision record. */
        APPEND
    }

    /**
     * One entry as it was applied.
     *
     * @param term the term of the Raft entry: the term of the leader that appended it
     * @param tag the term its writer believed it led in
     * @param records what it added when accepted: an APPEND's record, or an OPEN's incarnation marker
     */
    record AppliedEntry(Kind kind, long term, long tag, boolean accepted, List<DecisionRecord> records) {}

    /** What an accepted OPEN gives its leader: the new incarnation, and every record applied before it, in order. */
    record Opening(long incarnation, List<DecisionRecord> recovered) {}

    private final List<AppliedEntry> history = new ArrayList<>();
    private final List<DecisionRecord> records = new ArrayList<>();
    private final Map<String, DecisionRecord.CommitDecision> commits = new HashMap<>();
    private long incarnation;

    /** Applies an OPEN entry; empty when it is refused. */
    Optional<Opening> open(long term, long tag) {
        if (!writtenByLeaderOfItsTerm(term, tag)) {
            history.add(new AppliedEntry(Kind.OPEN, term, tag, false, List.of()));
            return Optional.empty();
        }
        Opening opening = new Opening(++incarnation, List.copyOf(records));
        DecisionRecord.Incarnation marker = new DecisionRecord.Incarnation(incarnation);
        records.add(marker);
        history.add(new AppliedEntry(Kind.OPEN, term, tag, true, List.of(marker)));
        return Optional.of(opening);
    }

    /** Applies an APPEND entry of one record; false when it is refused. */
    boolean append(long term, long tag, DecisionRecord record) {
        boolean accepted = writtenByLeaderOfItsTerm(term, tag);
        history.add(new AppliedEntry(Kind.APPEND, term, tag, accepted, accepted ? List.of(record) : List.of()));
        if (accepted) {
            records.add(record);
            if (record instanceof DecisionRecord.CommitDecision commit) {
                commits.putIfAbsent(commit.globalId(), commit);
            }
        }
        return accepted;
    }

    /** The fencing rule of the design: only the leader of a term may write in its name. */
    private static boolean writtenByLeaderOfItsTerm(long term, long tag) {
        return term == tag;
    }

    Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId) {
        return Optional.ofNullable(commits.get(globalId));
    }

    /** Every entry applied, in order, refused ones included. */
    List<AppliedEntry> history() {
        return Collections.unmodifiableList(history);
    }

    /** The records of the accepted entries, in order: the log as every peer holds it. */
    List<DecisionRecord> records() {
        return Collections.unmodifiableList(records);
    }
}
