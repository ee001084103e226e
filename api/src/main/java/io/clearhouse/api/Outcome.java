package io.clearhouse.api;

import java.util.Objects;

/**
 * What happened to a transaction.
 *
 * @param transactionId the client's id
 * @param status committed or aborted
 * @param reason why it aborted; {@code null} exactly when it committed
 */
public record Outcome(String transactionId, Status status, Reason reason) {
    public Outcome {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(status, "status");
        if ((status == Status.COMMITTED) != (reason == null)) {
            throw new IllegalArgumentException("a reason goes with an abort and only with an abort: " + status);
        }
    }

    public static Outcome committed(String transactionId) {
        return new Outcome(transactionId, Status.COMMITTED, null);
    }

    public static Outcome aborted(String transactionId, Reason reason) {
        return new Outcome(transactionId, Status.ABORTED, Objects.requireNonNull(reason, "reason"));
    }

    public boolean isCommitted() {
        return status == Status.COMMITTED;
    }
}
