package io.clearhouse.log.raft;

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
 * the decoded records (docs/cluster.md). Not thread-safe: the state machine guards it.
 */
final class DecisionState {
    /** The snapshot format written today; a reader refuses any other. */
    private static final int SNAPSHOT_VERSION = 1;

    private final TreeMap<Long, DecisionRecord> recovery = new TreeMap<>();
    private final Map<String, Long> unfinishedPositions = new HashMap<>();
    private final Map<String, byte[]> outcomes = new LinkedHashMap<>();
    private final Map<String, byte[]> commits = new LinkedHashMap<>();
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
            outcomes.putIfAbsent(abort.clientId(), encoded);
        } else if (record instanceof DecisionRecord.Completion completion) {
            Long position = unfinishedPositions.remove(completion.globalId());
            if (position != null) {
                recovery.remove(position);
            }
        }
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
        nextPosition = 0;
        incarnation = 0;
    }

    /** Writes the state: the version, the recovery list, the outcomes, then the commit decisions. */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(SNAPSHOT_VERSION);
        DecisionMessages.writeRecords(out, encode(recovery.values()));
        DecisionMessages.writeRecords(out, List.copyOf(outcomes.values()));
        DecisionMessages.writeRecords(out, List.copyOf(commits.values()));
    }

    /** Replaces the state with what {@link #writeTo} wrote, validating every record on the way in. */
    void readFrom(DataInputStream in) throws IOException {
        int version = in.readInt();
        if (version != SNAPSHOT_VERSION) {
            throw new IOException("unknown decision log snapshot version " + version);
        }
        clear();
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

    private static List<byte[]> encode(Iterable<? extends DecisionRecord> records) {
        List<byte[]> encoded = new ArrayList<>();
        for (DecisionRecord record : records) {
            encoded.add(DecisionRecordCodec.encode(record));
        }
        return encoded;
    }
}
