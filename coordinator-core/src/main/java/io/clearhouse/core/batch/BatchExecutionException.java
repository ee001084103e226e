package io.clearhouse.core.batch;

import io.clearhouse.core.CoordinatorException;

/**
 * The coordinator failed to finish a transfer (it was closed, or its infrastructure failed), or the batch itself
 * failed (it was interrupted, or ran out of memory), so it cannot produce serial-equivalent results. Carries the line
 * that failed first.
 */
public class BatchExecutionException extends CoordinatorException {
    private final int lineNumber;

    /**
     * @param lineNumber the line whose transfer failed, or 0 when the batch failed outside any one transfer
     * @param transactionId that line's id, or null with line 0
     */
    public BatchExecutionException(int lineNumber, String transactionId, Throwable cause) {
        super(
                lineNumber == 0
                        ? "batch: " + cause
                        : "batch line " + lineNumber + " (transaction " + transactionId + "): " + cause,
                cause);
        this.lineNumber = lineNumber;
    }

    /** The line whose transfer failed, or 0 when the batch was interrupted or failed outside any one transfer. */
    public int lineNumber() {
        return lineNumber;
    }
}
