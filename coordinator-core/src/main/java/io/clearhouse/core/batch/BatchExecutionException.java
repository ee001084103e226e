package io.clearhouse.core.batch;

import io.clearhouse.core.CoordinatorException;

/**
 * The coordinator failed to finish a transfer (it was closed, or its infrastructure failed), so the batch cannot
 * produce serial-equivalent results. Carries the line that failed first.
 */
public class BatchExecutionException extends CoordinatorException {
    private final int lineNumber;

    public BatchExecutionException(int lineNumber, String transactionId, Throwable cause) {
        super("batch line " + lineNumber + " (transaction " + transactionId + "): " + cause, cause);
        this.lineNumber = lineNumber;
    }

    /** The line whose transfer failed, or 0 when the batch was interrupted. */
    public int lineNumber() {
        return lineNumber;
    }
}
