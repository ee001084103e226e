package io.clearhouse.api.batch;

/** A batch file with more result lines than its reader accepts; reading stopped at the first line beyond. */
public final class BatchTooLargeException extends RuntimeException {
    private final int linesMax;
    private final int lineNumber;

    public BatchTooLargeException(int linesMax, int lineNumber) {
        super("the batch has more than " + linesMax + " lines (line " + lineNumber + " is one too many)");
        this.linesMax = linesMax;
        this.lineNumber = lineNumber;
    }

    public int linesMax() {
        return linesMax;
    }

    /** The 1-based physical line number of the first line beyond the limit. */
    public int lineNumber() {
        return lineNumber;
    }
}
