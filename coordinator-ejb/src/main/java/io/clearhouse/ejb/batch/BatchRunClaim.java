package io.clearhouse.ejb.batch;

/** What the ledger says about a batch posted with an idempotency key. */
public sealed interface BatchRunClaim {
    /** The caller holds the key now and runs the batch; a run of an earlier server that stopped may have begun it. */
    record Run() implements BatchRunClaim {}

    /** The key's batch ran to its end: its answer, gzip-compressed. */
    record Answered(byte[] answerGzip) implements BatchRunClaim {}

    /** The key's batch is running on this server now. */
    record InProgress() implements BatchRunClaim {}

    /** The key was used with another body. */
    record OtherBody() implements BatchRunClaim {}
}
