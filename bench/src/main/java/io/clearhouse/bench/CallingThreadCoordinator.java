package io.clearhouse.bench;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.CoordinatorCounters;
import io.clearhouse.core.RecordedTransaction;
import io.clearhouse.core.Submission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * A comparison's other side behind the interface the load drives: each submission runs to its end on the calling
 * thread, so its outcome is complete, phase two included, when the client sees it. Nothing is kept to look up, and
 * only commits and aborts are counted.
 */
abstract class CallingThreadCoordinator implements Coordinator {
    private final LongAdder committed = new LongAdder();
    private final LongAdder aborted = new LongAdder();

    /** Runs {@code transaction} to its end; an exception fails its outcome. */
    abstract Outcome run(Transaction transaction) throws Exception;

    @Override
    public final Submission submit(Transaction transaction) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        try {
            Outcome given = run(transaction);
            (given.isCommitted() ? committed : aborted).increment();
            outcome.complete(given);
        } catch (Exception e) {
            outcome.completeExceptionally(e);
        }
        return new Submission(outcome, outcome);
    }

    @Override
    public final Optional<Outcome> outcome(String transactionId) {
        return Optional.empty();
    }

    @Override
    public final Optional<RecordedTransaction> recorded(String transactionId) {
        return Optional.empty();
    }

    @Override
    public final CoordinatorCounters counters() {
        return new CoordinatorCounters(committed.sum(), aborted.sum(), 0, 0, 0);
    }

    /** A transfer's postings by the bank of their account, in the order the banks first appear. */
    static Map<String, List<Posting>> postingsByBank(Transaction transaction) {
        Map<String, List<Posting>> byBank = new LinkedHashMap<>();
        for (Posting posting : transaction.postings()) {
            byBank.computeIfAbsent(CrossBankTransfers.bankIdOf(posting.account()), any -> new ArrayList<>())
                    .add(posting);
        }
        return byBank;
    }

    /** Nothing to close: every transaction ended before its submission returned. */
    @Override
    public void close() {}
}
