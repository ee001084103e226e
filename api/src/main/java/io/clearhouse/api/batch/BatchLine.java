package io.clearhouse.api.batch;

import io.clearhouse.api.Reason;
import java.util.Objects;

/** One non-blank, non-header line of a batch file, either a transfer to attempt or a line refused by the format. */
public sealed interface BatchLine {
    /** The 1-based physical line number in the file. */
    int lineNumber();

    /** The trimmed first field, or {@code null} when it is empty. */
    String transactionId();

    /** A well-formed transfer; whether it commits is for the banks to say. */
    record Transfer(int lineNumber, String transactionId, String from, String to, long amount) implements BatchLine {
        public Transfer {
            Objects.requireNonNull(transactionId, "transactionId");
            if (amount <= 0) {
                throw new IllegalArgumentException("line " + lineNumber + ": a transfer moves a positive amount");
            }
        }
    }

    /** A line refused before any bank is asked. */
    record Refused(int lineNumber, String transactionId, Reason reason) implements BatchLine {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
