package io.clearhouse.log.raft;

/**
 * The limits of a Raft decision log and of its peers, each with a default in {@link #defaults()}.
 *
 * @param electionTimeoutMinMillis a follower that hears no leader for a random time between the minimum and the
 *     maximum starts an election
 * @param electionTimeoutMaxMillis see {@code electionTimeoutMinMillis}
 * @param requestTimeoutMillis how long the client waits for one attempt of a write or a read
 * @param writeTimeoutMillis how long the client keeps trying a write or a read, counted from its first attempt,
 *     before it fails; a bound in time rather than in attempts, since an attempt on a closed peer fails at once
 * @param retrySleepMillis the pause between two attempts
 * @param followerRetrySleepMillis how often a leader tries again to reach a follower it lost, after ten quick tries;
 *     a follower that comes back is caught up within this time (Ratis' default grows to five seconds)
 * @param batchSizeMax the most records one Raft entry carries
 * @param batchBytesMax the most encoded bytes one Raft entry carries (a single larger record goes alone)
 * @param queueSizeMax the most records waiting for an entry; an append beyond it fails at once
 * @param snapshotThresholdEntries a peer snapshots its state every this many applied entries, and purges its log
 *     up to the snapshot
 * @param snapshotsRetained how many snapshot files a peer keeps, the newest
 * @param logSegmentBytesMax the size of a log segment file; a peer purges whole segments only, so the log on disk
 *     stays within about this much beyond the entries since the last snapshot
 */
public record RaftOptions(
        long electionTimeoutMinMillis,
        long electionTimeoutMaxMillis,
        long requestTimeoutMillis,
        long writeTimeoutMillis,
        long retrySleepMillis,
        long followerRetrySleepMillis,
        int batchSizeMax,
        int batchBytesMax,
        int queueSizeMax,
        long snapshotThresholdEntries,
        int snapshotsRetained,
        long logSegmentBytesMax) {
    public RaftOptions {
        requirePositive(electionTimeoutMinMillis, "electionTimeoutMinMillis");
        requirePositive(requestTimeoutMillis, "requestTimeoutMillis");
        requirePositive(writeTimeoutMillis, "writeTimeoutMillis");
        requirePositive(retrySleepMillis, "retrySleepMillis");
        requirePositive(followerRetrySleepMillis, "followerRetrySleepMillis");
        requirePositive(batchSizeMax, "batchSizeMax");
        requirePositive(batchBytesMax, "batchBytesMax");
        requirePositive(queueSizeMax, "queueSizeMax");
        requirePositive(snapshotThresholdEntries, "snapshotThresholdEntries");
        requirePositive(snapshotsRetained, "snapshotsRetained");
        requirePositive(logSegmentBytesMax, "logSegmentBytesMax");
        if (snapshotThresholdEntries > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("snapshotThresholdEntries must fit an int: " + snapshotThresholdEntries);
        }
        if (electionTimeoutMaxMillis <= electionTimeoutMinMillis) {
            throw new IllegalArgumentException("electionTimeoutMaxMillis must exceed electionTimeoutMinMillis");
        }
    }

    /** Ratis' own election timeouts and segment size; a write gives up after half a minute without a majority. */
    public static RaftOptions defaults() {
        return new RaftOptions(150, 300, 3_000, 30_000, 100, 1_000, 512, 1 << 20, 10_000, 10_000, 2, 32L << 20);
    }

    /** These options with other election timeouts. */
    public RaftOptions withElectionTimeouts(long minMillis, long maxMillis) {
        return new RaftOptions(
                minMillis,
                maxMillis,
                requestTimeoutMillis,
                writeTimeoutMillis,
                retrySleepMillis,
                followerRetrySleepMillis,
                batchSizeMax,
                batchBytesMax,
                queueSizeMax,
                snapshotThresholdEntries,
                snapshotsRetained,
                logSegmentBytesMax);
    }

    /** These options with another bound on a write or read without a majority. */
    public RaftOptions withWriteTimeoutMillis(long millis) {
        return new RaftOptions(
                electionTimeoutMinMillis,
                electionTimeoutMaxMillis,
                requestTimeoutMillis,
                millis,
                retrySleepMillis,
                followerRetrySleepMillis,
                batchSizeMax,
                batchBytesMax,
                queueSizeMax,
                snapshotThresholdEntries,
                snapshotsRetained,
                logSegmentBytesMax);
    }

    /** These options with snapshots every {@code entries} applied entries. */
    public RaftOptions withSnapshotThresholdEntries(long entries) {
        return new RaftOptions(
                electionTimeoutMinMillis,
                electionTimeoutMaxMillis,
                requestTimeoutMillis,
                writeTimeoutMillis,
                retrySleepMillis,
                followerRetrySleepMillis,
                batchSizeMax,
                batchBytesMax,
                queueSizeMax,
                entries,
                snapshotsRetained,
                logSegmentBytesMax);
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
