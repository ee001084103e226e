package io.clearhouse.core.log;

import io.clearhouse.journal.Journal;
import io.clearhouse.journal.JournalException;
import io.clearhouse.journal.JournalOptions;
import io.clearhouse.journal.JournalSegments;
import io.clearhouse.journal.JournalSegments.Segment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The segments of a file decision log read at open: the records replayed, in the order they are now on disk, the
 * journal to append to, and the segments to delete once the new incarnation's marker is durable.
 */
record SegmentReplay(Journal journal, List<DecisionRecord> recovered, List<Segment> expired) {
    /** Reads every segment and opens the newest (or the first, {@code file}) to append to. */
    static SegmentReplay appendingToNewest(JournalSegments segments, Path file, JournalOptions options) {
        List<Segment> all = segments.list();
        List<DecisionRecord> recovered = new ArrayList<>();
        CanonicalNames names = new CanonicalNames();
        for (Segment segment : all.subList(0, Math.max(0, all.size() - 1))) {
            decodeInto(segments.read(segment), recovered, names);
        }
        Journal journal = Journal.open(newest(all).map(Segment::file).orElse(file), options);
        try {
            decodeInto(journal.recoveredRecords(), recovered, names);
            journal.releaseRecoveredRecords();
            return new SegmentReplay(journal, recovered, List.of());
        } catch (RuntimeException e) {
            closeAfterFailure(journal, e);
            throw e;
        }
    }

    /**
     * Reads every segment, sorting out those past the retention, and starts a new segment holding what must outlive
     * them; it is forced with the marker the caller appends next.
     */
    static SegmentReplay startingNewSegment(JournalSegments segments, JournalOptions options, LogRetention retention) {
        List<Segment> all = segments.list();
        List<Segment> expired = new ArrayList<>();
        ExpiredRecords expiredRecords = new ExpiredRecords();
        List<DecisionRecord> kept = new ArrayList<>();
        CanonicalNames names = new CanonicalNames();
        for (Segment segment : all) {
            if (retention.hasPassed(segment.lastWrittenMillis())) {
                expired.add(segment);
                for (byte[] bytes : segments.read(segment)) {
                    expiredRecords.add(DecisionRecordCodec.decode(bytes));
                }
            } else {
                decodeInto(segments.read(segment), kept, names);
            }
        }
        List<DecisionRecord> carried = expiredRecords.carried(kept);
        Journal journal = Journal.open(segments.fileAfter(newest(all)), options);
        try {
            carried.forEach(record -> journal.append(DecisionRecordCodec.encode(record)));
            kept.addAll(carried);
            return new SegmentReplay(journal, kept, expired);
        } catch (RuntimeException e) {
            closeAfterFailure(journal, e);
            throw e;
        }
    }

    private static Optional<Segment> newest(List<Segment> oldestFirst) {
        return oldestFirst.isEmpty() ? Optional.empty() : Optional.of(oldestFirst.get(oldestFirst.size() - 1));
    }

    private static void decodeInto(List<byte[]> records, List<DecisionRecord> into, CanonicalNames names) {
        for (byte[] bytes : records) {
            into.add(DecisionRecordCodec.decode(bytes, names));
        }
    }

    private static void closeAfterFailure(Journal journal, RuntimeException primary) {
        try {
            journal.close();
        } catch (JournalException e) {
            primary.addSuppressed(e);
        }
    }
}
