package io.clearhouse.log.raft;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * When the transactions a {@link DecisionState} still remembers finished, by the time the log tells, in buckets: the
 * transactions that finished since the last prune entry wait in the open bucket, and each prune entry closes it with
 * the time that entry carries (the leader's clock when it wrote the entry). A transaction's bucket time is therefore
 * never earlier than its end, so a bucket older than a prune's cutoff holds only transactions that ended before it;
 * one that ended at {@code t} is forgotten between the retention and the retention plus two prune intervals after
 * {@code t}. Records applied with no time known (entries and snapshots of the first format) wait in the open bucket
 * like any other and so go one retention after the first prune entry. Bucket times never decrease, even when a new
 * leader's clock is behind its predecessor's, so the oldest bucket is always the first. Forgetting takes a bounded
 * number of transactions from the front of the oldest buckets, in the order they finished, so every peer forgets the
 * same ones. Not thread-safe: the state guards it.
 */
final class FinishedRecords {
    /** A transaction the state can forget: an abort's outcome, or a commit decision whose completion was applied. */
    sealed interface Finished {
        /** An abort, the first outcome of {@code clientId}. */
        record Abort(String clientId) implements Finished {}

        /** The commit decision of {@code globalId}, which may also be the first outcome of {@code clientId}. */
        record Commit(String globalId, String clientId) implements Finished {}
    }

    /** The transactions that finished before {@code timeMillis} of the log's time, oldest first. */
    private record Bucket(long timeMillis, ArrayDeque<Finished> finished) {}

    private static final int ABORT_TAG = 0;
    private static final int COMMIT_TAG = 1;

    private final ArrayDeque<Bucket> closed = new ArrayDeque<>();
    private ArrayDeque<Finished> open = new ArrayDeque<>();
    private long lastTimeMillis = Long.MIN_VALUE;

    void finished(Finished transaction) {
        open.add(transaction);
    }

    /**
     * Closes the open bucket at {@code nowMillis} (or the last bucket's time, if later), then takes up to {@code
     * transactionsMax} transactions of the buckets closed before {@code cutoffMillis}, oldest first.
     */
    List<Finished> takeFinishedBefore(long cutoffMillis, long nowMillis, int transactionsMax) {
        lastTimeMillis = Math.max(lastTimeMillis, nowMillis);
        if (!open.isEmpty()) {
            closed.add(new Bucket(lastTimeMillis, open));
            open = new ArrayDeque<>();
        }
        List<Finished> taken = new ArrayList<>();
        while (taken.size() < transactionsMax
                && !closed.isEmpty()
                && closed.peek().timeMillis() < cutoffMillis) {
            ArrayDeque<Finished> oldest = closed.peek().finished();
            while (taken.size() < transactionsMax && !oldest.isEmpty()) {
                taken.add(oldest.poll());
            }
            if (oldest.isEmpty()) {
                closed.poll();
            }
        }
        return taken;
    }

    /** Whether a bucket closed before {@code cutoffMillis} still holds transactions. */
    boolean holdsFinishedBefore(long cutoffMillis) {
        return !closed.isEmpty() && closed.peek().timeMillis() < cutoffMillis;
    }

    /** How many buckets are closed, for the checks that memory stays flat. */
    int closedBuckets() {
        return closed.size();
    }

    /** How many transactions wait in every bucket, the open one included. */
    long transactions() {
        long count = open.size();
        for (Bucket bucket : closed) {
            count += bucket.finished().size();
        }
        return count;
    }

    void clear() {
        closed.clear();
        open = new ArrayDeque<>();
        lastTimeMillis = Long.MIN_VALUE;
    }

    /** Writes the last time, the closed buckets oldest first with their transactions in order, then the open one. */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeLong(lastTimeMillis);
        out.writeInt(closed.size());
        for (Bucket bucket : closed) {
            out.writeLong(bucket.timeMillis());
            writeBucket(out, bucket.finished());
        }
        writeBucket(out, open);
    }

    /**
     * Replaces the buckets with what {@link #writeTo} wrote. Client ids go through {@code clientIds} and global ids
     * through {@code globalIds}, which make them the very strings the state's maps hold: a second copy of every id
     * would take about a third more heap.
     */
    void readFrom(DataInputStream in, UnaryOperator<String> clientIds, UnaryOperator<String> globalIds)
            throws IOException {
        clear();
        lastTimeMillis = in.readLong();
        int buckets = in.readInt();
        if (buckets < 0) {
            throw new IOException("a decision log snapshot with " + buckets + " buckets");
        }
        for (int i = 0; i < buckets; i++) {
            long timeMillis = in.readLong();
            if (timeMillis > lastTimeMillis
                    || (!closed.isEmpty() && timeMillis < closed.peekLast().timeMillis())) {
                throw new IOException("a decision log snapshot with its bucket times out of order");
            }
            closed.add(new Bucket(timeMillis, readBucket(in, clientIds, globalIds)));
        }
        open = readBucket(in, clientIds, globalIds);
    }

    /** Ids in modified UTF-8: its 65,535 bytes hold the longest id a record carries (16,384 characters). */
    private static void writeBucket(DataOutputStream out, ArrayDeque<Finished> bucket) throws IOException {
        out.writeInt(bucket.size());
        for (Finished transaction : bucket) {
            if (transaction instanceof Finished.Abort abort) {
                out.writeByte(ABORT_TAG);
                out.writeUTF(abort.clientId());
            } else if (transaction instanceof Finished.Commit commit) {
                out.writeByte(COMMIT_TAG);
                out.writeUTF(commit.globalId());
                out.writeUTF(commit.clientId());
            }
        }
    }

    private static ArrayDeque<Finished> readBucket(
            DataInputStream in, UnaryOperator<String> clientIds, UnaryOperator<String> globalIds) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            throw new IOException("a decision log snapshot with a bucket of " + size + " transactions");
        }
        ArrayDeque<Finished> bucket = new ArrayDeque<>();
        for (int i = 0; i < size; i++) {
            int tag = in.readUnsignedByte();
            bucket.add(
                    switch (tag) {
                        case ABORT_TAG -> new Finished.Abort(clientIds.apply(in.readUTF()));
                        case COMMIT_TAG ->
                            new Finished.Commit(globalIds.apply(in.readUTF()), clientIds.apply(in.readUTF()));
                        default ->
                            throw new IOException("a decision log snapshot with an unknown transaction tag " + tag);
                    });
        }
        return bucket;
    }
}
