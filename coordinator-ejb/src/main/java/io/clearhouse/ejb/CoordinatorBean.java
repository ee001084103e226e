package io.clearhouse.ejb;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Transaction;
import io.clearhouse.api.batch.BatchLine;
import io.clearhouse.banks.BanksFile;
import io.clearhouse.banks.ConfiguredBank;
import io.clearhouse.banks.OpenBanks;
import io.clearhouse.core.RecordedTransaction;
import io.clearhouse.core.batch.BatchResults;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.PrunableDecisionLog;
import io.clearhouse.core.recovery.InDoubtBranches;
import io.clearhouse.core.recovery.InDoubtReport;
import io.clearhouse.core.recovery.ManualSettlementRequest;
import io.clearhouse.core.recovery.ManualSettlementResult;
import io.clearhouse.core.recovery.RecoveryReport;
import io.clearhouse.ejb.audit.ConservationReport;
import io.clearhouse.ejb.audit.OpeningTotals;
import io.clearhouse.ejb.batch.BatchRuns;
import io.clearhouse.ejb.config.LogRetention;
import io.clearhouse.ejb.config.RaftSettings;
import io.clearhouse.ejb.config.ServerSettings;
import io.clearhouse.ejb.console.ConsoleOverview;
import io.clearhouse.ejb.console.RecentTransactions;
import io.clearhouse.ejb.internal.ClusterCoordination;
import io.clearhouse.ejb.internal.JtaTransactions;
import io.clearhouse.ejb.internal.LeadershipWarmUp;
import io.clearhouse.ejb.internal.Reply;
import io.clearhouse.ejb.internal.RunningCoordinator;
import io.clearhouse.log.jpa.DecisionLogSchema;
import io.clearhouse.log.jpa.JpaDecisionLog;
import io.clearhouse.log.raft.RaftDecisionLog;
import io.clearhouse.log.raft.RaftDecisionNode;
import io.clearhouse.log.raft.StaleLeadershipException;
import io.clearhouse.spi.BankAdapter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import jakarta.transaction.UserTransaction;
import java.math.BigInteger;
import java.net.URI;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The coordinator of the application: one engine per server, over the banks of the banks file and a decision log in
 * PostgreSQL, or, on a node of a cluster ({@code clearhouse.decision-log=raft}), a decision log replicated with Raft
 * and an engine that runs only while this node leads ({@link ClusterCoordination}). {@link RecoveryBean} starts it
 * (opening runs recovery); until then every call but {@link #isReady()} answers {@link
 * CoordinatorUnavailableException}, and on a node that does not lead {@link NotLeaderException}. Concurrency is the
 * engine's own, so the container adds no lock, and the decision log runs its own JTA transactions.
 */
@DataSourceDefinition(
        name = CoordinatorBean.DATA_SOURCE,
        className = "org.postgresql.ds.PGSimpleDataSource",
        url = "${MPCONFIG=clearhouse.jdbc.url}",
        user = "${MPCONFIG=clearhouse.jdbc.user}",
        password = "${MPCONFIG=clearhouse.jdbc.password}",
        minPoolSize = 1,
        maxPoolSize = 16,
        // The decision log's group commits insert their rows as one JDBC batch; rewritten into one multi-row INSERT,
        // PostgreSQL parses and executes one statement per group instead of one per row.
        properties = {"reWriteBatchedInserts=true"})
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class CoordinatorBean {
    public static final String DATA_SOURCE = "java:app/jdbc/clearhouse";
    /** How many times one audit reads the banks at most to find them settled. */
    static final int CONSERVATION_READS_MAX = 3;

    private static final Logger LOG = Logger.getLogger(CoordinatorBean.class.getName());

    @Resource(lookup = DATA_SOURCE)
    private DataSource dataSource;

    @PersistenceUnit(unitName = "clearhouse")
    private EntityManagerFactory entityManagers;

    @Resource
    private UserTransaction transaction;

    @Resource
    private ManagedThreadFactory threads;

    @Inject
    private CoordinatorMetrics metrics;

    private ServerSettings settings;
    private RecentTransactions recent;
    private volatile RunningCoordinator running;
    private volatile ClusterCoordination cluster;
    private OpenBanks clusterBanks;
    private volatile String startFailure = "the coordinator has not started yet";
    private volatile OpeningTotals openingTotals;
    private volatile Optional<ConservationReport> lastConservation = Optional.empty();
    private volatile Optional<BatchRuns> batchRuns = Optional.empty();
    private volatile JpaDecisionLog decisionLog;

    /** Reads the settings at deployment, so invalid ones fail it with their message. */
    @PostConstruct
    void readSettings() {
        settings = MicroProfileSettings.read();
        recent = new RecentTransactions(settings.consoleRecentTransactionsMax());
    }

    /** The settings in effect. */
    public ServerSettings settings() {
        return settings;
    }

    /**
     * Opens banks, decision log and engine, which runs recovery before it accepts work. Called by the recovery bean;
     * a failure is kept for the readiness check and the start is tried again later.
     *
     * @return whether the coordinator is running
     */
    public synchronized boolean start() {
        if (running != null || cluster != null) {
            return true;
        }
        try {
            if (settings.raft().isPresent()) {
                LOG.info(() -> "settings in effect: " + settings.effective());
                cluster = ClusterCoordination.start(settings.raft().get(), this::openForTerm, threads);
                startFailure = null;
                openBanksAhead();
                warmUpForLeadership();
                return true;
            }
            running = open(settings);
            startFailure = null;
            RecoveryReport recovery = running.engine().recoveryReport();
            LOG.info(() -> "coordinator ready; recovery at start committed " + recovery.committedBranches()
                    + " and rolled back " + recovery.rolledBackBranches() + " prepared branches and re-drove "
                    + recovery.redrivenDecisions() + " commit decisions");
            return true;
        } catch (RuntimeException e) {
            startFailure = e.toString();
            LOG.log(Level.SEVERE, "the coordinator did not start; it will try again", e);
            return false;
        }
    }

    private RunningCoordinator open(ServerSettings settings) {
        LOG.info(() -> "settings in effect: " + settings.effective());
        DecisionLogSchema.migrate(dataSource);
        batchRuns = Optional.of(BatchRuns.open(dataSource));
        OpenBanks banks =
                OpenBanks.open(BanksFile.read(settings.banksFile()), getClass().getClassLoader());
        try {
            JpaDecisionLog log = JpaDecisionLog.open(
                    new JtaTransactions(transaction, entityManagers), settings.decisionLog(), threads, () -> {});
            EmbeddedCoordinator engine = EmbeddedCoordinator.open(settings.coordinator(), banks.byId(), log);
            decisionLog = log;
            return RunningCoordinator.owningBanks(engine, banks, settings.replyTimeoutMillis());
        } catch (RuntimeException e) {
            banks.close();
            throw e;
        }
    }

    /**
     * Opens banks, the replicated decision log for the leadership of {@code term}, and the engine, whose recovery
     * finishes what earlier leaders left.
     */
    private ClusterCoordination.Opened openForTerm(RaftDecisionNode node, long term) {
        RaftSettings raft = settings.raft().orElseThrow();
        long started = System.nanoTime();
        OpenBanks banks = clusterBanks();
        long banksOpen = System.nanoTime();
        RaftDecisionLog log = RaftDecisionLog.open(node, raft.options(), term);
        long logOpen = System.nanoTime();
        try {
            EmbeddedCoordinator engine = EmbeddedCoordinator.open(settings.coordinator(), banks.byId(), log);
            long engineOpen = System.nanoTime();
            // What a fail-over costs, step by step, for operators and for the fail-over benchmark.
            LOG.info(() -> "coordinator of term " + term + " opened: banks in " + millisBetween(started, banksOpen)
                    + " ms, decision log in " + millisBetween(banksOpen, logOpen) + " ms, engine and recovery in "
                    + millisBetween(logOpen, engineOpen) + " ms (" + engine.recoveryReport() + ")");
            return new ClusterCoordination.Opened(
                    RunningCoordinator.sharingBanks(engine, banks, settings.replyTimeoutMillis()), log);
        } catch (RuntimeException e) {
            closeAfterFailure(log, e);
            throw e;
        }
    }

    /**
     * The banks of a node of a cluster, opened at its first leadership (or before, at start, when they answer) and
     * kept open until the node stops.
     */
    private synchronized OpenBanks clusterBanks() {
        if (clusterBanks == null) {
            clusterBanks = OpenBanks.open(
                    BanksFile.read(settings.banksFile()), getClass().getClassLoader());
        }
        return clusterBanks;
    }

    private static long millisBetween(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    private static void closeAfterFailure(RaftDecisionLog log, RuntimeException primary) {
        try {
            log.close();
        } catch (RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    /** Opens a cluster node's banks before it first leads, so its first fail-over does not wait for them. */
    private void openBanksAhead() {
        try {
            clusterBanks();
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "the banks do not open yet; they are opened again when this node leads", e);
        }
    }

    /** Runs a leader's code once in the background, so that this node's first fail-over does not run it cold. */
    private void warmUpForLeadership() {
        Collection<BankAdapter> banks =
                clusterBanks == null ? List.of() : clusterBanks.byId().values();
        Thread warmUp = threads.newThread(() -> LeadershipWarmUp.run(
                settings.coordinator(), settings.raft().orElseThrow().options(), banks));
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }

    /** Whether the coordinator runs, or, on a node of a cluster, whether the node has joined the cluster. */
    public boolean isReady() {
        return running != null || cluster != null;
    }

    /** Every node's API URL by node id, on a node of a cluster; empty otherwise. */
    public Map<String, URI> clusterApiUrls() {
        return settings.raft().map(RaftSettings::apiUrls).orElse(Map.of());
    }

    /** What this node says of itself, on a node of a cluster. */
    public Optional<ClusterNodeView> clusterSelf() {
        ClusterCoordination current = cluster;
        return current == null ? Optional.empty() : Optional.of(current.self());
    }

    /** Why the coordinator is not running, or empty once it is. */
    public Optional<String> startFailure() {
        return Optional.ofNullable(startFailure);
    }

    /** Submits {@code transaction} and waits for its answer ({@link #submitAsync}). */
    public Outcome submit(Transaction transaction) {
        return Reply.await(submitAsync(transaction));
    }

    /**
     * Submits {@code transaction}; the answer comes once the outcome is durable and applied at every bank, or with the
     * durable outcome alone at the reply timeout, and fails with {@link CoordinatorUnavailableException} if there is
     * none by then. No thread waits for it: the API answers from the thread that completes it.
     *
     * @throws CoordinatorUnavailableException if the coordinator is not running, or the decision log must be read to
     *     tell whether the id is new and cannot be
     */
    public CompletableFuture<Outcome> submitAsync(Transaction transaction) {
        long started = System.nanoTime();
        CompletableFuture<Outcome> answer = coordinator().submit(transaction);
        return answer.whenComplete((outcome, unavailable) -> {
            if (outcome != null) {
                metrics.recordOutcome(outcome, System.nanoTime() - started);
                recent.record(transaction, outcome, Instant.now());
            }
        });
    }

    /**
     * The console's view of the traffic: the last minute's throughput and the outcomes since start (API and batches
     * alike), and the API's most recent transactions; answered whether or not the coordinator runs.
     */
    public ConsoleOverview consoleOverview() {
        Instant now = Instant.now();
        return new ConsoleOverview(
                now,
                metrics.throughput(now),
                metrics.committedSinceStart(),
                metrics.abortedSinceStart(),
                recent.newestFirst());
    }

    public Optional<RecordedTransaction> recorded(String transactionId) {
        return coordinator().recorded(transactionId);
    }

    public Optional<AccountView> account(String account) {
        return coordinator().account(account);
    }

    public Map<String, Map<String, Long>> state() {
        return coordinator().state();
    }

    /**
     * Audits conservation now (see {@link RunningCoordinator#conservation}) and keeps the report for the metrics and
     * the readiness check.
     */
    public ConservationReport checkConservation() {
        RunningCoordinator current = coordinator();
        ConservationReport report = current.conservation(openingTotals());
        // A transaction whose reply has gone out may not have ended in the engine yet: a second read a moment later
        // is settled at rest, while under load every read overlaps transfers and the audit stays unknown.
        for (int read = 1; read < CONSERVATION_READS_MAX && !report.settled(); read++) {
            report = current.conservation(openingTotals());
        }
        ConservationReport last = report;
        lastConservation = Optional.of(last);
        if (last.violated()) {
            LOG.severe(() ->
                    "money was not conserved: expected " + last.expectedTotal().get() + ", banks hold "
                            + last.actualTotal().get());
        }
        return last;
    }

    /** The last conservation audit, by the API or in the background; empty before the first. */
    public Optional<ConservationReport> lastConservation() {
        return lastConservation;
    }

    /** Audits conservation if the coordinator runs (and, on a node of a cluster, leads); a no-op otherwise. */
    public void checkConservationIfRunning() {
        if (runningIfAny().isPresent()) {
            checkConservation();
        }
    }

    /**
     * The opening totals of the banks whose entry in the banks file lists accounts, read once since the file the
     * banks opened with is what their state started from; a remote bank's entry lists none (its bank server keeps
     * them), so its opening total is learnt from the first settled audit.
     */
    private synchronized OpeningTotals openingTotals() {
        OpeningTotals totals = openingTotals;
        if (totals == null) {
            Map<String, BigInteger> read = new LinkedHashMap<>();
            for (ConfiguredBank bank : BanksFile.read(settings.banksFile())) {
                if (!bank.accounts().isEmpty()) {
                    read.put(
                            bank.bankId(),
                            bank.accounts().values().stream()
                                    .map(BigInteger::valueOf)
                                    .reduce(BigInteger.ZERO, BigInteger::add));
                }
            }
            totals = new OpeningTotals(read);
            openingTotals = totals;
        }
        return totals;
    }

    /**
     * Runs a batch; with an idempotency key, under the key's namespace, so that a run of the same key again applies
     * nothing twice.
     */
    public BatchResults runBatch(List<BatchLine> lines, Optional<String> idempotencyKey) {
        BatchResults results = coordinator().runBatch(lines, idempotencyKey);
        for (int index = 0; index < results.size(); index++) {
            metrics.recordOutcome(results.status(index), results.reason(index));
        }
        return results;
    }

    /**
     * Prunes what the retention lets go: the decision log's finished transactions (PostgreSQL's, or on a node of a
     * cluster the replicated one, by the node that leads and coordinates) and the keyed batches' answers older than
     * {@code clearhouse.decision-log.retention-millis}. Nothing before the coordinator runs, nor on a node that does
     * not lead; a prune refused because another node leads by then is that node's to make.
     */
    public void pruneIfRunning() {
        Optional<PrunableDecisionLog> log = prunableLog();
        LogRetention retention = settings.logRetention();
        if (log.isEmpty() || !retention.prunes()) {
            return;
        }
        Instant cutoff = Instant.now().minus(retention.retention());
        PrunableDecisionLog.Pruning pruned;
        try {
            pruned = log.get().prune(cutoff, retention.prunePageTransactionsMax());
        } catch (StaleLeadershipException e) {
            LOG.log(Level.FINE, "a pruning was skipped: this node no longer leads", e);
            return;
        }
        long answers = batchRuns.map(runs -> runs.pruneFinishedBefore(cutoff)).orElse(0L);
        if (pruned.forgotAnything() || answers > 0) {
            LOG.info(() -> "pruned what finished before " + cutoff + ": " + pruned.summary() + ", " + answers
                    + " keyed batch answers");
        }
    }

    private Optional<PrunableDecisionLog> prunableLog() {
        ClusterCoordination currentCluster = cluster;
        return currentCluster != null
                ? currentCluster.logIfLeading().map(PrunableDecisionLog.class::cast)
                : Optional.ofNullable(decisionLog);
    }

    /**
     * The ledger of batches posted with an idempotency key, in the server's PostgreSQL database; empty on a node of a
     * cluster, which has none (there the key's namespace alone keeps a retry from applying anything twice).
     */
    public Optional<BatchRuns> batchRuns() {
        return batchRuns;
    }

    /** Resolves branches left in doubt while running; a no-op until the coordinator runs. */
    public void recoverInDoubt() {
        runningIfAny().ifPresent(CoordinatorBean::recoverInDoubt);
    }

    /** One recovery pass now, as the recovery timer runs it, for an operator who will not wait for the timer. */
    public InDoubtReport recoverNow() {
        return recoverInDoubt(coordinator());
    }

    /**
     * Settles by hand the branch {@code request} names, if phase two gave up on it (see {@link
     * EmbeddedCoordinator#settleInDoubt}).
     */
    public ManualSettlementResult settleInDoubt(ManualSettlementRequest request) {
        return coordinator().engine().settleInDoubt(request);
    }

    /**
     * Answers only on a node that coordinates now, as every other call does; otherwise throws {@link
     * NotLeaderException} or {@link CoordinatorUnavailableException}. For work that must not begin elsewhere.
     */
    public void requireCoordinating() {
        coordinator();
    }

    /**
     * On a node of a cluster, answers only where {@link #requireCoordinating()} would; on a single server always, even
     * before the coordinator has started. For reads of what this server alone keeps, such as the audit trail, which
     * an operator may need most while the start keeps failing.
     */
    public void requireLeaderIfClustered() {
        ClusterCoordination currentCluster = cluster;
        if (currentCluster != null) {
            currentCluster.coordinator();
        }
    }

    /** The transactions whose branches phase two gave up on, waiting for the next recovery pass. */
    public List<InDoubtBranches.Transaction> inDoubt() {
        return coordinator().engine().inDoubtTransactions();
    }

    private static InDoubtReport recoverInDoubt(RunningCoordinator current) {
        InDoubtReport report = current.engine().recoverInDoubt();
        if (report.committed() + report.rolledBack() + report.stillInDoubt() > 0) {
            LOG.info(() -> "recovery while running: " + report);
        }
        return report;
    }

    /** The running engine, for metrics; empty until started. */
    public Optional<EmbeddedCoordinator> engine() {
        return runningIfAny().map(RunningCoordinator::engine);
    }

    private Optional<RunningCoordinator> runningIfAny() {
        ClusterCoordination currentCluster = cluster;
        return currentCluster != null ? currentCluster.coordinatorIfLeading() : Optional.ofNullable(running);
    }

    private RunningCoordinator coordinator() {
        ClusterCoordination currentCluster = cluster;
        if (currentCluster != null) {
            return currentCluster.coordinator();
        }
        RunningCoordinator current = running;
        if (current == null) {
            throw new CoordinatorUnavailableException("the coordinator is not ready: " + startFailure);
        }
        return current;
    }

    private synchronized void closeClusterBanks() {
        if (clusterBanks != null) {
            clusterBanks.close();
            clusterBanks = null;
        }
    }

    @PreDestroy
    void stop() {
        ClusterCoordination currentCluster = cluster;
        cluster = null;
        if (currentCluster != null) {
            currentCluster.close();
            closeClusterBanks();
        }
        RunningCoordinator current = running;
        running = null;
        if (current != null) {
            current.close();
        }
    }
}
