package io.clearhouse.ejb.internal;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Transaction;
import io.clearhouse.api.batch.BatchLine;
import io.clearhouse.banks.OpenBanks;
import io.clearhouse.core.RecordedTransaction;
import io.clearhouse.core.Submission;
import io.clearhouse.core.batch.BatchExecution;
import io.clearhouse.core.batch.BatchOptions;
import io.clearhouse.core.batch.BatchResults;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.ejb.AccountView;
import io.clearhouse.ejb.CoordinatorUnavailableException;
import io.clearhouse.ejb.audit.BankReading;
import io.clearhouse.ejb.audit.Conservation;
import io.clearhouse.ejb.audit.ConservationReport;
import io.clearhouse.ejb.audit.OpeningTotals;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The engine as the server runs it: its banks, the wait for a durable outcome with a bound, and the reads the API
 * offers. Plain Java, so the EJB around it only adds the container's lifecycle.
 */
public final class RunningCoordinator implements AutoCloseable {
    private final EmbeddedCoordinator engine;
    private final OpenBanks banks;
    private final Map<String, BankAdapter> bankOfAccount = new HashMap<>();
    private final long replyTimeoutMillis;
    private final boolean closesBanks;

    private RunningCoordinator(
            EmbeddedCoordinator engine, OpenBanks banks, long replyTimeoutMillis, boolean closesBanks) {
        this.engine = engine;
        this.banks = banks;
        this.replyTimeoutMillis = replyTimeoutMillis;
        this.closesBanks = closesBanks;
        for (BankAdapter bank : banks.byId().values()) {
            for (String account : bank.accounts()) {
                bankOfAccount.put(account, bank);
            }
        }
    }

    /** A coordinator that owns {@code banks} and closes them with the engine. */
    public static RunningCoordinator owningBanks(EmbeddedCoordinator engine, OpenBanks banks, long replyTimeoutMillis) {
        return new RunningCoordinator(engine, banks, replyTimeoutMillis, true);
    }

    /**
     * A coordinator over banks that outlive it: a node of a cluster keeps its banks open from one leadership to the
     * next, so that a fail-over does not wait for them to open again.
     */
    public static RunningCoordinator sharingBanks(
            EmbeddedCoordinator engine, OpenBanks banks, long replyTimeoutMillis) {
        return new RunningCoordinator(engine, banks, replyTimeoutMillis, false);
    }

    public EmbeddedCoordinator engine() {
        return engine;
    }

    /**
     * Submits {@code transaction} and answers, without holding the caller's thread, once the outcome is durable and
     * every bank has applied it, so a client that reads balances after the reply sees its own transfer; within the
     * reply timeout, after which a durable outcome is answered alone ({@link Reply}). A phase two that is slow or
     * failing does not change the answer: the outcome is durable and recovery finishes the commit.
     *
     * @return the answer, failing with {@link CoordinatorUnavailableException} if the outcome is not durable within
     *     the reply timeout
     * @throws CoordinatorUnavailableException if the decision log cannot be read to tell whether the id is new
     */
    public CompletableFuture<Outcome> submit(Transaction transaction) {
        Submission submission;
        try {
            submission = engine.submit(transaction);
        } catch (DecisionLogException e) {
            throw unreadableLog(e);
        } catch (IllegalStateException | RejectedExecutionException e) {
            // A cluster node retiring this coordinator closed it under the request: whatever the log recorded for the
            // id, a retry on the leader finds, and recovery there resolves the branches this one left.
            throw new CoordinatorUnavailableException(
                    "the coordinator closed while " + transaction.id() + " was submitted; retry with the same id", e);
        }
        return Reply.to(transaction.id(), submission, replyTimeoutMillis);
    }

    /** @throws CoordinatorUnavailableException if the decision log cannot be read */
    public Optional<RecordedTransaction> recorded(String transactionId) {
        try {
            return engine.recorded(transactionId);
        } catch (DecisionLogException e) {
            throw unreadableLog(e);
        }
    }

    private static CoordinatorUnavailableException unreadableLog(DecisionLogException e) {
        return new CoordinatorUnavailableException("the decision log cannot be read: " + e.getMessage(), e);
    }

    public Optional<AccountView> account(String account) {
        BankAdapter bank = bankOfAccount.get(account);
        if (bank == null) {
            return Optional.empty();
        }
        Optional<AccountBalance> balance = bank.account(account);
        return balance.map(found -> new AccountView(bank.bankId(), found));
    }

    /** Posted balances by bank and account, banks in the banks file's order. */
    public Map<String, Map<String, Long>> state() {
        Map<String, Map<String, Long>> state = new LinkedHashMap<>();
        banks.byId().forEach((bankId, bank) -> state.put(bankId, bank.postedBalances()));
        return state;
    }

    /**
     * Reads every bank's posted balances and sums them against {@code openingTotals}, which learn a remote bank's from a settled read. Every bank is asked before any
     * answer is awaited, and each answer is awaited at most the reply timeout, so a bank down delays the audit, never
     * a transfer: a bank only copies its balances, as for {@code GET /api/state}. The read is settled when no attempt
     * began, ran or waited in doubt from before the first question to after the last answer.
     */
    public ConservationReport conservation(OpeningTotals openingTotals) {
        long begun = engine.attemptsBegun();
        boolean quietBefore = engine.attemptsInFlight() == 0 && engine.inDoubtBranches() == 0;
        Map<String, CompletableFuture<Map<String, Long>>> asked = new LinkedHashMap<>();
        banks.byId().forEach((bankId, bank) -> asked.put(bankId, ask(bank)));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(replyTimeoutMillis);
        List<BankReading> readings = new ArrayList<>();
        asked.forEach((bankId, answer) -> readings.add(reading(bankId, answer, deadline)));
        boolean settled = quietBefore
                && engine.attemptsInFlight() == 0
                && engine.inDoubtBranches() == 0
                && engine.attemptsBegun() == begun;
        return Conservation.check(openingTotals.after(readings, settled), readings, settled, Instant.now());
    }

    private static CompletableFuture<Map<String, Long>> ask(BankAdapter bank) {
        try {
            return bank.postedBalancesAsync().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private BankReading reading(String bankId, CompletableFuture<Map<String, Long>> answer, long deadline) {
        try {
            Map<String, Long> balances = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            BigInteger total = BigInteger.ZERO;
            for (long posted : balances.values()) {
                total = total.add(BigInteger.valueOf(posted));
            }
            return new BankReading.Read(bankId, total, balances.size());
        } catch (ExecutionException e) {
            return new BankReading.Unreadable(
                    bankId, String.valueOf(e.getCause().getMessage()));
        } catch (TimeoutException e) {
            return new BankReading.Unreadable(bankId, "no answer within " + replyTimeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new BankReading.Unreadable(bankId, "interrupted while waiting for the bank");
        }
    }

    /**
     * Runs a batch against the live banks with the outcome of serial execution in line order. The batch's ids are a
     * namespace of their own: the batch format refuses only an id repeated inside the file. A batch posted with an
     * idempotency key has the key's namespace, so that a run of it again finds what an earlier run decided.
     */
    public BatchResults runBatch(List<BatchLine> lines, Optional<String> idempotencyKey) {
        BatchNamespace namespace = idempotencyKey
                .map(key -> BatchNamespace.ofKey(engine, key))
                .orElseGet(() -> BatchNamespace.fresh(engine));
        // One worker: the engine's own threads run the transfers in parallel, and the container's request thread
        // is the only one the batch needs of its own.
        return new BatchExecution(lines, namespace, BatchOptions.defaults().withWorkerThreads(1)).run();
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            if (closesBanks) {
                banks.close();
            }
        }
    }
}
