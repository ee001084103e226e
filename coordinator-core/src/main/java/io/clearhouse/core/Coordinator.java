package io.clearhouse.core;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Transaction;
import java.util.Optional;

/**
 * Drives transactions through two-phase commit across banks. The same engine serves the application server, the
 * batch command, the benchmarks and the simulation.
 */
public interface Coordinator extends AutoCloseable {
    /**
     * Starts a transaction, or returns the first outcome again for an id already used with the same postings. An id
     * used before with other postings is aborted with {@code DUPLICATE_ID} and recorded nowhere.
     *
     * @throws io.clearhouse.core.log.DecisionLogException if the decision log must be read to tell whether the id is
     *     new and cannot be; nothing was started, and the same call may be made again
     */
    Submission submit(Transaction transaction);

    /**
     * The recorded outcome of a client id, if the coordinator has one.
     *
     * @throws io.clearhouse.core.log.DecisionLogException if the decision log must be read and cannot be
     */
    Optional<Outcome> outcome(String transactionId);

    /**
     * The durable outcome of a client id with the postings it came with; empty for an id never seen, or still in
     * flight, or refused without a record (a duplicate).
     *
     * @throws io.clearhouse.core.log.DecisionLogException if the decision log must be read and cannot be
     */
    Optional<RecordedTransaction> recorded(String transactionId);

    /** Counters since open. */
    CoordinatorCounters counters();

    /** Stops accepting work, waits for phase two in flight up to a bound, and closes the decision log. */
    @Override
    void close();
}
