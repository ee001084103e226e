package io.clearhouse.ejb.internal;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.CoordinatorCounters;
import io.clearhouse.core.RecordedTransaction;
import io.clearhouse.core.Submission;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * The live coordinator seen by one batch: every id gets the batch's prefix, so the batch's ids neither collide with
 * the API's nor with another batch's, as the batch format wants (a duplicate is an id repeated in the file).
 * Closing it leaves the coordinator open.
 */
final class BatchNamespace implements Coordinator {
    private final Coordinator coordinator;
    private final String prefix;

    private BatchNamespace(Coordinator coordinator, String prefix) {
        this.coordinator = coordinator;
        this.prefix = prefix;
    }

    /** A namespace no other batch has. */
    static BatchNamespace fresh(Coordinator coordinator) {
        return new BatchNamespace(coordinator, "batch-" + UUID.randomUUID() + "/");
    }

    /**
     * The namespace of every batch posted with {@code idempotencyKey}: a retry's transactions are the first run's, so
     * the decision log answers those it decided and applies nothing twice, on every decision log and after restarts.
     * The key is hashed so that its characters and length do not reach the ids.
     */
    static BatchNamespace ofKey(Coordinator coordinator, String idempotencyKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(idempotencyKey.getBytes(StandardCharsets.UTF_8));
            return new BatchNamespace(coordinator, "batch-key-" + HexFormat.of().formatHex(hash) + "/");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public Submission submit(Transaction transaction) {
        return coordinator.submit(new Transaction(prefix + transaction.id(), transaction.postings()));
    }

    @Override
    public Optional<Outcome> outcome(String transactionId) {
        return coordinator.outcome(prefix + transactionId);
    }

    @Override
    public Optional<RecordedTransaction> recorded(String transactionId) {
        return coordinator.recorded(prefix + transactionId);
    }

    @Override
    public CoordinatorCounters counters() {
        return coordinator.counters();
    }

    @Override
    public void close() {}
}
