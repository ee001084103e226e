package io.clearhouse.core.log;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a log that keeps its records at hand answers by id: the first outcome record of each client id, and the commit
 * decision of each attempt. Both maps point at the records themselves. Thread-safe.
 */
final class RecordIndex {
    private final Map<String, DecisionRecord.ClientOutcome> outcomes;
    private final Map<String, DecisionRecord.CommitDecision> commits;

    /**
     * Sized for {@code recordsExpected} records, as many as a log replays at open, so that filling it does not resize
     * its maps over and over.
     */
    RecordIndex(int recordsExpected) {
        this.outcomes = new ConcurrentHashMap<>(recordsExpected);
        this.commits = new ConcurrentHashMap<>(recordsExpected);
    }

    /** Takes {@code record} if it is an outcome or a commit decision; the first record of an id stays. */
    void add(DecisionRecord record) {
        if (record instanceof DecisionRecord.ClientOutcome outcome) {
            outcomes.putIfAbsent(outcome.clientId(), outcome);
        }
        if (record instanceof DecisionRecord.CommitDecision commit) {
            commits.putIfAbsent(commit.globalId(), commit);
        }
    }

    Optional<DecisionRecord.ClientOutcome> outcomeOf(String clientId) {
        return Optional.ofNullable(outcomes.get(clientId));
    }

    Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId) {
        return Optional.ofNullable(commits.get(globalId));
    }
}
