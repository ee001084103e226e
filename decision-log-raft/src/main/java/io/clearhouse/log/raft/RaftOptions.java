package io.clearhouse.log.raft;

/**
 * The limits of a Raft decision log and of its peers, each with a default in {@link #defaults()}.
 *
 * @param electionTimeoutMinMillis a follower that hears no leader for a random time between the minimum and the
 *     maximum starts an election
 * @param electionTimeoutMaxMillis see {@code electionTimeoutMinMillis}
 * @param requestTimeoutMillis how long the client waits for one attempt of a write or a read
 * @param requestAttemptsMax how many attempts the client makes before a write or a read fails; with {@code
 *     retrySleepMillis} and {@code requestTimeoutMillis} it bounds how long a write may stay unanswered
 * @param retrySleepMillis the pause between two attempts, long enough for an election to finish
 * @param batchSizeMax the most records one Raft entry carries
 * @param batchBytesMax the most encoded bytes one Raft entry carries (a single larger record goes alone)
 * @param queueSizeMax the most records waiting for an entry; an append beyond it fails at once
 * @param snapshotThresholdEntries a peer snapshots its state every this many applied entries, and purges its log
 *     up to the snapshot
 */
public record RaftOptions(
        long electionTimeoutMinMillis,
        long electionTimeoutMaxMillis,
        long requestTimeoutMillis,
        int requestAttemptsMax,
        long retrySleepMillis,
        int batchSizeMax,
        int batchBytesMax,
        int queueSizeMax,
        long snapshotThresholdEntries) {
    public RaftOptions {
        requirePositive(electionTimeoutMinMillis, "electionTimeoutMinMillis");
        requirePositive(requestTimeoutMillis, "requestTimeoutMillis");
        requirePositive(requestAttemptsMax, "requestAttemptsMax");
        requirePositive(retrySleepMillis, "retrySleepMillis");
        requirePositive(batchSizeMax, "batchSizeMax");
        requirePositive(batchBytesMax, "batchBytesMax");
        requirePositive(queueSizeMax, "queueSizeMax");
        requirePositive(snapshotThresholdEntries, "snapshotThresholdEntries");
        if (electionTimeoutMaxMillis <= electionTimeoutMinMillis) {
            throw new IllegalArgumentException("electionTimeoutMaxMillis must exceed electionTimeoutMinMillis");
        }
    }

    /** Ratis' own election timeouts; a write gives up after about half a minute without a majority. */
    public static RaftOptions defaults() {
        return new RaftOptions(150, 300, 3_000, 10, 100, 512, 1 << 20, 10_000, 10_000);
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
