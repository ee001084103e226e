package io.clearhouse.core.batch;

import io.clearhouse.api.Reason;
import io.clearhouse.api.Status;
import java.util.Objects;

/**
 * The result of one line of a batch file.
 *
 * @param lineNumber the 1-based physical line number
 * @param transactionId the trimmed first field, or {@code null} when it is empty
 * @param status committed or aborted
 * @param reason why the line aborted; {@code null} exactly when it committed
 */
public record LineResult(int lineNumber, String transactionId, Status status, Reason reason) {
    public LineResult {
        Objects.requireNonNull(status, "status");
        if ((status == Status.COMMITTED) != (reason == null)) {
            throw new IllegalArgumentException("a reason goes with an abort and only with an abort: " + status);
        }
    }
}
