package io.clearhouse.core.log;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the segments past the retention hold that must outlive them. A transaction finished when its abort outcome or
 * its completion was written; if that record is in one of these segments, it finished longer ago than the retention
 * and its records go. A commit decision without a completion among them stays, whatever its age: recovery must
 * still commit its branches. If its completion sits in a kept segment, the completion is carried with it, so that
 * the copy never outlives its completion and looks unfinished once that segment expires in turn. The newest
 * incarnation marker stays too, if no kept segment holds a newer one.
 *
 * <p>Only commit decisions and completion ids are held while the segments are read; abort outcomes, the bulk of a
 * failing batch, are dropped as they are read.
 */
final class ExpiredRecords {
    private final Map<String, DecisionRecord.CommitDecision> decisions = new LinkedHashMap<>();
    private final Set<String> completed = new HashSet<>();
    private long newestIncarnation;

    /** Takes one record of a segment past the retention. */
    void add(DecisionRecord record) {
        if (record instanceof DecisionRecord.CommitDecision decision) {
            decisions.putIfAbsent(decision.globalId(), decision);
        } else if (record instanceof DecisionRecord.Completion completion) {
            completed.add(completion.globalId());
        } else if (record instanceof DecisionRecord.Incarnation marker) {
            newestIncarnation = Math.max(newestIncarnation, marker.number());
        }
    }

    /**
     * The records to write into the new segment before the expired ones are deleted.
     *
     * @param kept the records of the segments within the retention
     */
    List<DecisionRecord> carried(List<DecisionRecord> kept) {
        Set<String> completedInKept = new HashSet<>();
        long newestKeptIncarnation = 0;
        for (DecisionRecord record : kept) {
            if (record instanceof DecisionRecord.Completion completion) {
                completedInKept.add(completion.globalId());
            } else if (record instanceof DecisionRecord.Incarnation marker) {
                newestKeptIncarnation = Math.max(newestKeptIncarnation, marker.number());
            }
        }
        List<DecisionRecord> carried = new ArrayList<>();
        if (newestIncarnation > newestKeptIncarnation) {
            carried.add(new DecisionRecord.Incarnation(newestIncarnation));
        }
        for (DecisionRecord.CommitDecision decision : decisions.values()) {
            if (completed.contains(decision.globalId())) {
                continue;
            }
            carried.add(decision);
            if (completedInKept.contains(decision.globalId())) {
                carried.add(new DecisionRecord.Completion(decision.globalId()));
            }
        }
        return carried;
    }
}
