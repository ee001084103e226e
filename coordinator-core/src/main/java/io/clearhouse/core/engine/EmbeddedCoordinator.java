package io.clearhouse.core.engine;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.CoordinatorCounters;
import io.clearhouse.core.RecordedTransaction;
import io.clearhouse.core.Submission;
import io.clearhouse.core.admission.Admission;
import io.clearhouse.core.directory.AccountDirectory;
import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.protocol.TransactionMachine;
import io.clearhouse.core.recovery.InDoubtBranches;
import io.clearhouse.core.recovery.InDoubtRecovery;
import io.clearhouse.core.recovery.InDoubtReport;
import io.clearhouse.core.recovery.ManualSettlement;
import io.clearhouse.core.recovery.ManualSettlementRequest;
import io.clearhouse.core.recovery.ManualSettlementResult;
import io.clearhouse.core.recovery.Recovery;
import io.clearhouse.core.recovery.RecoveryReport;
import io.clearhouse.spi.BankAdapter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator in one process: the protocol core driven by executors and the wall clock against bank adapters
 * and a decision log. Opening it runs recovery first, so every branch an earlier incarnation left prepared is
 * resolved before new work starts. Thread-safe.
 *
 * <p>Threads: a call to a {@link BankAdapter#nonBlocking() non-blocking} bank is made inline, so with such banks
 * and an in-memory log a whole transaction runs on the submitting thread and {@link #submit} returns completed
 * futures. Any other bank gets its branches in messages ({@link BankAdapter#prepareMany} and the others): the
 * branches that arrive while a message of their kind is out to it go together in the next one, up to {@link
 * CoordinatorOptions#bankMessageBranchesMax()}. A bank that {@link BankAdapter#preparesAsynchronously() prepares
 * asynchronously} (a durable memory bank) is sent its messages inline too, and its votes, which its log flusher
 * gives, are taken on the pool; any other bank is called from a pool of at most {@link
 * CoordinatorOptions#threads()} threads, under the prepare deadline; work after a forced write of the log continues
 * on that pool, never on the log's own thread. The pool gives a task to an idle thread first and starts threads
 * only while all are busy. Callers outside the engine wait while {@link CoordinatorOptions#inFlightMax()}
 * transactions are in flight; a submission from a completion callback on an engine thread never waits.
 *
 * <p>Each attempt gets its own global id, {@code <incarnation>.<sequence>}, used as the transaction id of its
 * xids: a branch rolled back by recovery leaves a tombstone at its bank, and the same client id may be tried again
 * after a crash, so the client id cannot name the branch.
 *
 * <p>Client ids: the engine remembers every id in flight and the most recent finished ones ({@link
 * CoordinatorOptions#finishedOutcomesInMemoryMax()}, all by default); an id it does not remember is looked up in the
 * decision log, which holds every outcome, before it counts as new. Outcomes of earlier incarnations are found there
 * too, so recovery loads none into memory.
 *
 * <p>The banks belong to the caller, who closes them after closing the coordinator.
 */
public final class EmbeddedCoordinator implements Coordinator {

    private final CoordinatorOptions options;
    private final Map<String, BankAdapter> banks;
    private final Admission admission;
    private final DecisionLog log;
    private final EngineCounters counters;
    private final ExecutorService pool;
    private final ScheduledThreadPoolExecutor timers;
    private final Semaphore inFlight;
    private final EngineRuntime runtime;
    private final Attempts attempts;
    private final InFlightTransactions transactions;
    private final InDoubtBranches inDoubt = new InDoubtBranches();
    private final InDoubtRecovery inDoubtRecovery;
    private final ManualSettlement manualSettlement;
    private final RecoveryReport recoveryReport;
    private volatile boolean closed;

    private EmbeddedCoordinator(
            CoordinatorOptions options, Map<String, BankAdapter> banks, DecisionLog log, EngineCounters counters) {
        this.options = options;
        this.banks = banks;
        this.admission = new Admission(
                AccountDirectory.of(banks),
                options.postingsMax(),
                options.idLengthMax(),
                options.phaseTwoAttemptsMax());
        this.attempts = new Attempts(options.transactionIdsExpected(), options.finishedOutcomesInMemoryMax(), log);
        this.log = log;
        this.counters = counters;
        this.pool = new IdleFirstPool(
                options.threads(), options.idleThreadKeepAliveMillis(), new EngineThreads("clearhouse-engine", true));
        this.timers = new ScheduledThreadPoolExecutor(1, new EngineThreads("clearhouse-timer", false));
        this.timers.setRemoveOnCancelPolicy(true);
        this.inFlight = new Semaphore(options.inFlightMax());
        this.transactions = new InFlightTransactions(log.incarnation());
        this.runtime = new EngineRuntime(options, banks, log, pool, timers, inFlight, counters, transactions, inDoubt);
        this.inDoubtRecovery =
                new InDoubtRecovery(banks, log, inDoubt, options.bankMessageBranchesMax(), counters::messageSent);
        this.manualSettlement = new ManualSettlement(banks, log, inDoubt, counters::messageSent);
        this.recoveryReport = new Recovery(
                        banks,
                        log,
                        options.recoveryAttemptsMax(),
                        options.phaseTwoRetryInitialDelayMillis(),
                        options.bankMessageBranchesMax(),
                        counters::messageSent)
                .run();
    }

    /**
     * Opens a coordinator over {@code banksById} and {@code log}, running recovery before it returns.
     *
     * @param banksById every bank, by its id; the directory of accounts is built from their account lists
     * @throws io.clearhouse.core.recovery.RecoveryException if a bank keeps failing during recovery
     * @throws IllegalArgumentException if an account belongs to two banks
     */
    public static EmbeddedCoordinator open(
            CoordinatorOptions options, Map<String, BankAdapter> banksById, DecisionLog log) {
        return new EmbeddedCoordinator(options, new HashMap<>(banksById), log, new EngineCounters());
    }

    @Override
    public Submission submit(Transaction transaction) {
        if (closed) {
            throw new IllegalStateException("the coordinator is closed");
        }
        String clientId = transaction.id();
        List<Posting> postings = transaction.postings();
        Reason refusal = admission.refusalBeforeClaim(clientId, postings);
        if (refusal != null) {
            return refusedWithoutRecord(clientId, refusal);
        }
        Attempt fresh = Attempt.claiming(postings);
        Attempt earlier = attempts.claim(clientId, fresh);
        if (earlier != null) {
            return Admission.isRetry(earlier.postings(), postings)
                    ? earlier.submission()
                    : refusedWithoutRecord(clientId, Reason.DUPLICATE_ID);
        }
        Submission submission = fresh.submission();
        start(transaction, fresh);
        return submission;
    }

    private void start(Transaction transaction, Attempt attempt) {
        boolean holdsPermit = acquirePermit();
        TransactionMachine machine = admission.admit(transactions.begin(), transaction);
        TransactionRun run = new TransactionRun(runtime, machine, attempt, attempts, holdsPermit, anyBlocking(machine));
        run.deliver(machine.firstEvent());
    }

    private boolean acquirePermit() {
        if (EngineThreads.isEngineThread()) {
            return false;
        }
        inFlight.acquireUninterruptibly();
        return true;
    }

    /** Whether a bank of {@code machine}'s branches may block, so that the prepare deadline matters. */
    private boolean anyBlocking(TransactionMachine machine) {
        for (int i = 0; i < machine.branchCount(); i++) {
            if (!banks.get(machine.branchBank(i)).nonBlocking()) {
                return true;
            }
        }
        return false;
    }

    private Submission refusedWithoutRecord(String clientId, Reason reason) {
        counters.aborted.increment();
        return Attempt.completedSubmission(Outcome.aborted(clientId, reason));
    }

    @Override
    public Optional<Outcome> outcome(String transactionId) {
        if (!admission.storable(transactionId)) {
            return Optional.empty();
        }
        Attempt attempt = attempts.find(transactionId);
        return attempt == null ? Optional.empty() : Optional.ofNullable(attempt.outcome());
    }

    @Override
    public Optional<RecordedTransaction> recorded(String transactionId) {
        // Such an id was refused before it was claimed, so it has no outcome; asking the log would only make it fail
        // (PostgreSQL's text cannot hold U+0000) and a read of an unknown id answer 503 instead of 404.
        if (!admission.storable(transactionId)) {
            return Optional.empty();
        }
        Attempt attempt = attempts.find(transactionId);
        Outcome outcome = attempt == null ? null : attempt.outcome();
        return outcome == null ? Optional.empty() : Optional.of(new RecordedTransaction(outcome, attempt.postings()));
    }

    @Override
    public CoordinatorCounters counters() {
        long forcedWrites = log.forcedWrites();
        for (BankAdapter bank : banks.values()) {
            forcedWrites += bank.forcedWrites();
        }
        return new CoordinatorCounters(
                counters.committed.sum(),
                counters.aborted.sum(),
                counters.messages.sum(),
                counters.branches.sum(),
                forcedWrites);
    }

    /** What recovery did when this coordinator opened. */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /** Branches whose phase two gave up after the retry limit since open, resolved since or not. */
    public long abandonedBranches() {
        return counters.abandonedBranches.sum();
    }

    /**
     * How many attempts began since open. With {@link #attemptsInFlight()} it tells a reader of every bank's balances
     * whether any transaction ran while it read, which a sum over banks needs to be exact.
     */
    public long attemptsBegun() {
        return transactions.begun();
    }

    /** How many attempts are in flight now, their phase two included. */
    public int attemptsInFlight() {
        return transactions.count();
    }

    /** Branches given up by phase two and not yet resolved by {@link #recoverInDoubt()}. */
    public long inDoubtBranches() {
        return inDoubt.count();
    }

    /** The transactions whose branches wait for {@link #recoverInDoubt()}, each with its branches and decision. */
    public List<InDoubtBranches.Transaction> inDoubtTransactions() {
        return inDoubt.transactions();
    }

    /**
     * Resolves, while transactions run, what phase two gave up on and any branch a bank holds prepared for a
     * transaction that is over (see {@link InDoubtRecovery}); never a branch of a transaction in flight. One pass at a
     * time; nothing after close.
     */
    public synchronized InDoubtReport recoverInDoubt() {
        if (closed) {
            return InDoubtReport.NOTHING;
        }
        InFlightTransactions.Snapshot snapshot = transactions.snapshot();
        return inDoubtRecovery.run(snapshot::mayBeInFlight);
    }

    /**
     * Settles by hand one branch that phase two gave up on (see {@link ManualSettlement}). Under the lock of {@link
     * #recoverInDoubt()}, so that a pass never sends the same branch another outcome meanwhile.
     */
    public synchronized ManualSettlementResult settleInDoubt(ManualSettlementRequest request) {
        if (closed) {
            throw new IllegalStateException("the coordinator is closed");
        }
        return manualSettlement.settle(request);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // Every permit back means no caller's transaction is still in phase two; then those that callbacks on
            // the engine's threads started, which hold no permit, are waited for too.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.closeTimeoutMillis());
            if (inFlight.tryAcquire(options.inFlightMax(), options.closeTimeoutMillis(), TimeUnit.MILLISECONDS)) {
                inFlight.release(options.inFlightMax());
            }
            transactions.awaitNoneInFlight(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        pool.shutdown();
        try {
            pool.awaitTermination(options.closeTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }
}
