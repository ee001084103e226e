package io.clearhouse.core.batch;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Status;
import io.clearhouse.api.batch.BatchLine;
import java.util.List;

/**
 * One result per parsed line, in file order. Read by index so that writing half a million results allocates nothing
 * per line.
 */
public final class BatchResults {
    private final List<BatchLine> lines;
    private final Outcome[] outcomes;

    BatchResults(List<BatchLine> lines, Outcome[] outcomes) {
        this.lines = lines;
        this.outcomes = outcomes;
    }

    public int size() {
        return lines.size();
    }

    public int lineNumber(int index) {
        return lines.get(index).lineNumber();
    }

    /** The trimmed first field of the line, or {@code null} when it is empty. */
    public String transactionId(int index) {
        return lines.get(index).transactionId();
    }

    public Status status(int index) {
        Outcome outcome = outcomes[index];
        return outcome == null ? Status.ABORTED : outcome.status();
    }

    /** Why the line aborted, or {@code null} when it committed. */
    public Reason reason(int index) {
        Outcome outcome = outcomes[index];
        if (outcome == null) {
            return ((BatchLine.Refused) lines.get(index)).reason();
        }
        return outcome.reason();
    }

    public LineResult result(int index) {
        return new LineResult(lineNumber(index), transactionId(index), status(index), reason(index));
    }
}
