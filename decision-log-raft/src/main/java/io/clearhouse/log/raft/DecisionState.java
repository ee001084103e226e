package io.clearhouse.log.raft;

import io.clearhouse.core.log.CorruptDecisionRecordException;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.log.DecisionRecordCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the applied entries of a decision log amount to: the records recovery needs (every incarnation marker and
 * every commit decision no completion has followed, in the order applied), the first outcome of each client id and
 * the commit decision of each global id. Unlike the file log it forgets completions and the commit decisions they
 * close out of the recovery list, so a snapshot holds only what a lookup or a recovery can still ask for. Outcomes
 * and commit decisions are kept encoded, as they came in the entry, and a commit decision that is also its client's
 * first outcome once: a node keeps every one of them in its heap, and the encoded form takes about half the room of
 * the decoded records (docs/cluster.md).
 *
 * <p>A prune entry forgets the transactions that finished before its cutoff, by the log's time ({@link
 * FinishedRecords}): an abort's outcome, and a commit's decision (and the outcome it is) once its completion was
 * applied. Incarnation markers and commit decisions without a completion stay whatever their age. A client id whose
 * outcome was forgotten is new again. Not thread-safe: the state machine guards it.
 */
final class DecisionState {
    /** The snapshot format written today: the first one's sections, then when each transaction finished. */
    private static final int SNAPSHOT_VERSION = 2;
    /** The first snapshot format, without times, still read: its finished transactions wait for the next prune. */
    private static final int SNAPSHOT_VERSION_WITHOUT_TIMES = 1;

    private final TreeMap<Long, DecisionRecord> recovery = new TreeMap<>();
    private final Map<String, Long> unfinishedPositions = new HashMap<>();
    private final Map<String, byte[]> outcomes = new LinkedHashMap<>();
    private final Map<String, byte[]> commits = new LinkedHashMap<>();
    private final FinishedRecords finished = new FinishedRecords();
    private long nextPosition;
    private long incarnation;

    /** Applies {@code record}, whose encoded form is {@code encoded}. */
    void apply(DecisionRecord record, byte[] encoded) {
        if (record instanceof DecisionRecord.Incarnation marker) {
            incarnation = Math.max(incarnation, marker.number());
            recovery.put(nextPosition++, marker);
        } else if (record instanceof DecisionRecord.CommitDecision commit) {
            outcomes.putIfAbsent(commit.clientId(), encoded);
            if (commits.putIfAbsent(commit.globalId(), encoded) == null) {
                unfinishedPositions.put(commit.globalId(), nextPosition);
                recovery.put(nextPosition++, commit);
            }
        } else if (record instanceof DecisionRecord.AbortOutcome abort) {
            if (outcomes.putIfAbsent(abort.clientId(), encoded) == null) {
                finished.finished(new FinishedRecords.Finished.Abort(abort.clientId()));
            }
        } else if (record instanceof DecisionRecord.Completion completion) {
            Long position = unfinishedPositions.remove(completion.globalId());
            if (position != null) {
                DecisionRecord.CommitDecision commit = (DecisionRecord.CommitDecision) recovery.remove(position);
                finished.finished(new FinishedRecords.Finished.Commit(commit.globalId(), commit.clientId()));
            }
        }
    }

    /**
     * Forgets up to {@code transactionsMax} of the transactions that finished before {@code cutoffMillis}, by the
     * log's time; {@code nowMillis} is the time of the prune entry, which dates what finished since the last one.
     */
    DecisionMessages.PrunePage prune(long cutoffMillis, long nowMillis, int transactionsMax) {
        List<FinishedRecords.Finished> forgotten =
                finished.takeFinishedBefore(cutoffMillis, nowMillis, transactionsMax);
        for (FinishedRecords.Finished transaction : forgotten) {
            if (transaction instanceof FinishedRecords.Finished.Abort abort) {
                outcomes.remove(abort.clientId());
            } else if (transaction instanceof FinishedRecords.Finished.Commit commit) {
                byte[] decision = commits.remove(commit.globalId());
                // Its client's outcome only if the decision was that outcome: the very array both maps hold.
                outcomes.remove(commit.clientId(), decision);
            }
        }
        return new DecisionMessages.PrunePage(forgotten.size(), finished.holdsFinishedBefore(cutoffMillis));
    }

    /** How much the state holds, for the checks that it stays flat under pruning. */
    record Size(int outcomes, int commitDecisions, int recoveryRecords, long finishedTransactions, int buckets) {}

    Size size() {
        return new Size(
                outcomes.size(), commits.size(), recovery.size(), finished.transactions(), finished.closedBuckets());
    }

    /** Starts the next incarnation and returns it with the records recovery needs from before it. */
    DecisionMessages.Opening open() {
        List<DecisionRecord> recovered = List.copyOf(recovery.values());
        DecisionRecord.Incarnation next = new DecisionRecord.Incarnation(incarnation + 1);
        apply(next, DecisionRecordCodec.encode(next));
        return new DecisionMessages.Opening(next.number(), recovered);
    }

    /** The first outcome of {@code clientId}, encoded. */
    Optional<byte[]> outcomeOf(String clientId) {
        return Optional.ofNullable(outcomes.get(clientId));
    }

    /** The commit decision of {@code globalId}, encoded. */
    Optional<byte[]> commitDecisionOf(String globalId) {
        return Optional.ofNullable(commits.get(globalId));
    }

    void clear() {
        recovery.clear();
        unfinishedPositions.clear();
        outcomes.clear();
        commits.clear();
        finished.clear();
        nextPosition = 0;
        incarnation = 0;
    }

    /**
     * Writes the state: the version, the recovery list, the outcomes, the commit decisions, then when the finished
     * transactions among them finished.
     */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(SNAPSHOT_VERSION);
        DecisionMessages.writeRecords(out, encode(recovery.values()));
        DecisionMessages.writeRecords(out, List.copyOf(outcomes.values()));
        DecisionMessages.writeRecords(out, List.copyOf(commits.values()));
        finished.writeTo(out);
    }

    /**
     * Replaces the state with what {@link #writeTo} wrote, or a snapshot of the first format, validating every record
     * on the way in.
     */
    void readFrom(DataInputStream in) throws IOException {
        int version = in.readInt();
        if (version != SNAPSHOT_VERSION && version != SNAPSHOT_VERSION_WITHOUT_TIMES) {
            throw new IOException("unknown decision log snapshot version " + version);
        }
        clear();
        readRecords(in);
        if (version == SNAPSHOT_VERSION) {
            finished.readFrom(in, clientId -> sameKey(outcomes, clientId), this::datedCommitDecision);
        } else {
            markFinishedWithoutTime();
        }
    }

    private void readRecords(DataInputStream in) throws IOException {
        for (byte[] bytes : DecisionMessages.readRecords(in)) {
            DecisionRecord record = DecisionRecordCodec.decode(bytes);
            if (record instanceof DecisionRecord.Incarnation marker) {
                incarnation = Math.max(incarnation, marker.number());
            } else if (record instanceof DecisionRecord.CommitDecision commit) {
                unfinishedPositions.put(commit.globalId(), nextPosition);
            }
            recovery.put(nextPosition++, record);
        }
        Map<String, byte[]> sharedOutcomes = new HashMap<>();
        for (byte[] bytes : DecisionMessages.readRecords(in)) {
            DecisionRecord.ClientOutcome outcome = (DecisionRecord.ClientOutcome) DecisionRecordCodec.decode(bytes);
            outcomes.put(outcome.clientId(), bytes);
            if (outcome instanceof DecisionRecord.CommitDecision commit) {
                sharedOutcomes.put(commit.globalId(), bytes);
            }
        }
        for (byte[] bytes : DecisionMessages.readRecords(in)) {
            DecisionRecord.CommitDecision commit = (DecisionRecord.CommitDecision) DecisionRecordCodec.decode(bytes);
            byte[] shared = sharedOutcomes.get(commit.globalId());
            commits.put(commit.globalId(), shared != null && Arrays.equals(shared, bytes) ? shared : bytes);
        }
    }

    /** The global id of a finished commit the snapshot dates, which it must hold. */
    private String datedCommitDecision(String globalId) {
        if (!commits.containsKey(globalId)) {
            throw new CorruptDecisionRecordException(
                    "the decision log snapshot dates the commit decision of " + globalId + " but does not hold it");
        }
        return sameKey(commits, globalId);
    }

    /**
     * Makes {@code id} the key {@code map} holds for it, so that the id is kept once: a map keeps the key it was given
     * first, so the entry is put again under this one.
     */
    private static String sameKey(Map<String, byte[]> map, String id) {
        byte[] value = map.remove(id);
        if (value != null) {
            map.put(id, value);
        }
        return id;
    }

    /**
     * Takes every finished transaction of a snapshot without times for one that finished just now, so that the
     * first prune entry dates it and it goes one retention later: an abort's outcome, and a commit decision no
     * longer in the recovery list.
     */
    private void markFinishedWithoutTime() {
        for (Map.Entry<String, byte[]> outcome : outcomes.entrySet()) {
            if (DecisionRecordCodec.decode(outcome.getValue()) instanceof DecisionRecord.AbortOutcome) {
                finished.finished(new FinishedRecords.Finished.Abort(outcome.getKey()));
            }
        }
        for (Map.Entry<String, byte[]> decision : commits.entrySet()) {
            if (!unfinishedPositions.containsKey(decision.getKey())) {
                DecisionRecord.CommitDecision commit =
                        (DecisionRecord.CommitDecision) DecisionRecordCodec.decode(decision.getValue());
                finished.finished(new FinishedRecords.Finished.Commit(decision.getKey(), commit.clientId()));
            }
        }
    }

    private static List<byte[]> encode(Iterable<? extends DecisionRecord> records) {
        List<byte[]> encoded = new ArrayList<>();
        for (DecisionRecord record : records) {
            encoded.add(DecisionRecordCodec.encode(record));
        }
        return encoded;
    }
}
