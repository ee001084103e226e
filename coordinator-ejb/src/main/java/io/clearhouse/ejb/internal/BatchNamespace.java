package io.clearhouse.ejb.internal;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.CoordinatorCounters;
import io.clearhouse.core.RecordedTransaction;
import io.clearhouse.core.Submission;
import java.util.Optional;

/**
 * The live coordinator seen by one batch: every id gets the batch's prefix, so the batch's ids neither collide with
 * the API's nor with another batch's, as the batch format wants (a duplicate is an id repeated in the file).
 * Closing it leaves the coordinator open.
 */
final class BatchNamespace implements Coordinator {
    private final Coordinator coordinator;
    private final String prefix;

    BatchNamespace(Coordinator coordinator, String prefix) {
        this.coordinator = coordinator;
        this.prefix = prefix;
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
