package io.clearhouse.core.batch;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Status;
import io.clearhouse.api.batch.BatchLine;
import java.util.List;

/**
 * One result per parsed line, in file order. Read by index so that writing half a million results allocates nothing
 * per line.
 *
 * <p>A line's result is kept as one byte, not as the engine's {@link Outcome}: a batch holds every line's result until
 * it writes them, and an outcome object with its reference costs some 28 bytes of heap a line where the line's id is
 * already kept by its line (docs/benchmarks.md section 26).
 */
public final class BatchResults {
    /** The code of a line with no outcome from the engine: a line refused by the format, whose reason it carries. */
    private static final byte REFUSED_BY_FORMAT = 0;

    private static final byte COMMITTED = 1;
    /** An abort's code is this plus its reason's ordinal. */
    private static final byte ABORTED_BASE = 2;

    private static final Reason[] REASONS = Reason.values();

    private final List<BatchLine> lines;
    private final byte[] codes;

    BatchResults(List<BatchLine> lines, byte[] codes) {
        this.lines = lines;
        this.codes = codes;
    }

    /** The one byte that stands for {@code outcome} in a batch's results. */
    static byte code(Outcome outcome) {
        return outcome.isCommitted()
                ? COMMITTED
                : (byte) (ABORTED_BASE + outcome.reason().ordinal());
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
        return codes[index] == COMMITTED ? Status.COMMITTED : Status.ABORTED;
    }

    /** Why the line aborted, or {@code null} when it committed. */
    public Reason reason(int index) {
        byte code = codes[index];
        if (code == REFUSED_BY_FORMAT) {
            return ((BatchLine.Refused) lines.get(index)).reason();
        }
        return code == COMMITTED ? null : REASONS[code - ABORTED_BASE];
    }

    public LineResult result(int index) {
        return new LineResult(lineNumber(index), transactionId(index), status(index), reason(index));
    }
}
