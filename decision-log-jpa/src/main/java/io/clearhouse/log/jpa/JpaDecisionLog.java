package io.clearhouse.log.jpa;

import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.log.PrunableDecisionLog;
import io.clearhouse.log.jpa.entity.DecisionRecordEntity;
import io.clearhouse.log.jpa.entity.RecordKind;
import io.clearhouse.log.jpa.internal.ClientIdFilter;
import io.clearhouse.log.jpa.internal.GroupCommitWriter;
import io.clearhouse.log.jpa.internal.RecordMapping;
import io.clearhouse.log.jpa.internal.RowInserts;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.TypedQuery;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The decision log in PostgreSQL, one row per record in the table {@code decision_record}.
 *
 * <p>Opening it reads, in write order, only the rows recovery needs: every incarnation marker and every commit
 * decision that no completion follows, each checked against its checksum and the record format; then it commits a
 * new incarnation one above the highest found. The outcomes clients were told stay in the table and are read one at
 * a time by {@link #outcomeOf}, behind a filter of the client ids the table holds ({@link ClientIdFilter}, built at
 * open from the ids alone), so that a new id costs no query and memory does not grow with the table; {@link
 * #commitDecisionOf} reads one commit decision, for a branch a bank still holds at recovery. Durable appends are
 * queued to one writer thread that carries everything queued meanwhile in one transaction (group commit); a durable
 * append's future completes when that transaction has committed, which with PostgreSQL's default {@code
 * synchronous_commit} means flushed to its write-ahead log. Lazy appends ride with the next durable append's
 * transaction.
 *
 * <p>Two ways to open it: {@link #open(String, String, String, JpaDecisionLogOptions)} outside a container, which
 * migrates the schema and builds its own resource-local persistence unit; and {@link #open(TransactionRunner,
 * JpaDecisionLogOptions, ThreadFactory, Runnable)} inside one, with the container's persistence unit, transactions
 * and managed thread factory, after {@link DecisionLogSchema#migrate(javax.sql.DataSource)}.
 */
public final class JpaDecisionLog implements PrunableDecisionLog {
    /**
     * Without paging, so that PostgreSQL may answer with one hash anti-join over the table (about 3 s for 10 million
     * rows here) rather than probe for a completion row by row in sequence order (about 25 s).
     */
    private static final String UNFINISHED_COMMITS_QUERY = "SELECT r.sequenceNumber FROM DecisionRecordEntity r"
            + " WHERE r.kind = :commit AND NOT EXISTS"
            + " (SELECT c FROM DecisionRecordEntity c WHERE c.kind = :completion AND c.globalId = r.globalId)";

    private static final String INCARNATIONS_QUERY = "SELECT r FROM DecisionRecordEntity r WHERE r.kind = :incarnation";
    private static final String RECORDS_QUERY =
            "SELECT r FROM DecisionRecordEntity r WHERE r.sequenceNumber IN :sequenceNumbers";
    private static final String CLIENT_IDS_QUERY = "SELECT r.sequenceNumber, r.clientId FROM DecisionRecordEntity r"
            + " WHERE r.clientId IS NOT NULL AND r.sequenceNumber > :after ORDER BY r.sequenceNumber";
    private static final String OUTCOME_QUERY =
            "SELECT r FROM DecisionRecordEntity r WHERE r.clientId = :clientId ORDER BY r.sequenceNumber";
    private static final String COMMIT_DECISION_QUERY = "SELECT r FROM DecisionRecordEntity r"
            + " WHERE r.globalId = :globalId AND r.kind = :commit ORDER BY r.sequenceNumber";
    private static final int FILTER_FIRST_SEGMENT_IDS = 1 << 20;
    /** Each filter segment holds the ids of an hour at most, so that pruning can retire it an hour at a time. */
    private static final long FILTER_SEGMENT_SPAN_MILLIS = TimeUnit.HOURS.toMillis(1);
    /**
     * How much older than the pruning cutoff a segment's last id must be before the segment is retired: an id is
     * added to the filter just before its row is queued, so its row's time may be a little later than the id's
     * (seconds at worst: the queue's timeout); an hour leaves room for any clock step too.
     */
    private static final long FILTER_RETIRE_MARGIN_MILLIS = TimeUnit.HOURS.toMillis(1);

    private static final String DELETE_FINISHED_COMMITS = "DELETE FROM decision_record"
            + " WHERE kind IN ('COMMIT_DECISION', 'COMPLETION') AND global_id IN (SELECT global_id FROM decision_record"
            + " WHERE kind = 'COMPLETION' AND written_at < ?1 LIMIT ?2)";
    private static final String DELETE_ABORTS = "DELETE FROM decision_record WHERE sequence_number IN"
            + " (SELECT sequence_number FROM decision_record WHERE kind = 'ABORT_OUTCOME' AND written_at < ?1 LIMIT ?2)";
    private static final String CLIENT_IDS_KEPT_QUERY =
            "SELECT client_id FROM decision_record WHERE kind = 'COMMIT_DECISION' AND written_at < ?1";

    private final GroupCommitWriter writer;
    private final TransactionRunner transactions;
    private final ClientIdFilter clientIds;
    private final List<DecisionRecord> recovered;
    private final long incarnation;
    private final long closeTimeoutMillis;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JpaDecisionLog(
            GroupCommitWriter writer,
            TransactionRunner transactions,
            ClientIdFilter clientIds,
            List<DecisionRecord> recovered,
            long incarnation,
            long closeTimeoutMillis,
            Runnable onClose) {
        this.writer = writer;
        this.transactions = transactions;
        this.clientIds = clientIds;
        this.recovered = recovered;
        this.incarnation = incarnation;
        this.closeTimeoutMillis = closeTimeoutMillis;
        this.onClose = onClose;
    }

    /**
     * Opens the log in the database at {@code jdbcUrl} outside a container: applies the Flyway migrations, builds a
     * resource-local persistence unit that the log closes with itself, replays and starts a new incarnation.
     *
     * @throws DecisionLogException if the database cannot be reached or migrated, or holds an invalid record
     */
    public static JpaDecisionLog open(String jdbcUrl, String user, String password, JpaDecisionLogOptions options) {
        DecisionLogSchema.migrate(jdbcUrl, user, password);
        EntityManagerFactory factory;
        try {
            factory = ResourceLocalPersistence.create(jdbcUrl, user, password, options.connectionPoolSize());
        } catch (PersistenceException e) {
            throw new DecisionLogException("cannot start the persistence unit for " + jdbcUrl, e);
        }
        try {
            return open(new ResourceLocalTransactions(factory), options, JpaDecisionLog::writerThread, factory::close);
        } catch (RuntimeException e) {
            factory.close();
            throw e;
        }
    }

    /**
     * Opens the log over a schema already migrated, with transactions and a writer thread that the caller
     * provides, as a container does.
     *
     * @param onClose runs after the writer has stopped, to release what the caller wants released with the log
     * @throws DecisionLogException if the database cannot be read or written, or holds an invalid record
     */
    public static JpaDecisionLog open(
            TransactionRunner transactions,
            JpaDecisionLogOptions options,
            ThreadFactory writerThreads,
            Runnable onClose) {
        List<DecisionRecord> recovered;
        ClientIdFilter clientIds;
        long incarnation;
        try {
            recovered = replay(transactions, options.readPageRecordsMax());
            clientIds = readClientIds(transactions, options.readPageRecordsMax());
            incarnation = DecisionLog.nextIncarnation(recovered);
            DecisionRecordEntity marker = RecordMapping.toEntity(new DecisionRecord.Incarnation(incarnation));
            transactions.inTransaction(manager -> {
                RowInserts.insert(manager, List.of(marker));
                return null;
            });
        } catch (PersistenceException e) {
            throw new DecisionLogException("cannot open the decision log", e);
        }
        GroupCommitWriter writer = new GroupCommitWriter(
                rows -> transactions.inTransaction(manager -> {
                    RowInserts.insert(manager, rows);
                    return null;
                }),
                options.queueRecordsMax(),
                options.batchRecordsMax(),
                options.enqueueTimeoutMillis(),
                writerThreads);
        return new JpaDecisionLog(
                writer,
                transactions,
                clientIds,
                List.copyOf(recovered),
                incarnation,
                options.closeTimeoutMillis(),
                onClose);
    }

    /** The incarnation markers and the commit decisions that no completion follows, in write order. */
    private static List<DecisionRecord> replay(TransactionRunner transactions, int pageRecordsMax) {
        List<DecisionRecordEntity> rows = new ArrayList<>(
                transactions.read(manager -> manager.createQuery(INCARNATIONS_QUERY, DecisionRecordEntity.class)
                        .setParameter("incarnation", RecordKind.INCARNATION)
                        .getResultList()));
        List<Long> unfinished = transactions.read(manager -> manager.createQuery(UNFINISHED_COMMITS_QUERY, Long.class)
                .setParameter("commit", RecordKind.COMMIT_DECISION)
                .setParameter("completion", RecordKind.COMPLETION)
                .getResultList());
        for (int from = 0; from < unfinished.size(); from += pageRecordsMax) {
            List<Long> page = unfinished.subList(from, Math.min(unfinished.size(), from + pageRecordsMax));
            rows.addAll(transactions.read(manager -> manager.createQuery(RECORDS_QUERY, DecisionRecordEntity.class)
                    .setParameter("sequenceNumbers", page)
                    .getResultList()));
        }
        rows.sort(Comparator.comparing(DecisionRecordEntity::sequenceNumber));
        List<DecisionRecord> records = new ArrayList<>(rows.size());
        for (DecisionRecordEntity row : rows) {
            records.add(RecordMapping.fromEntity(row));
        }
        return records;
    }

    private static ClientIdFilter readClientIds(TransactionRunner transactions, int pageRecordsMax) {
        ClientIdFilter clientIds =
                new ClientIdFilter(FILTER_FIRST_SEGMENT_IDS, FILTER_SEGMENT_SPAN_MILLIS, System::currentTimeMillis);
        long after = Long.MIN_VALUE;
        while (true) {
            long from = after;
            List<Object[]> page = transactions.read(manager -> manager.createQuery(CLIENT_IDS_QUERY, Object[].class)
                    .setParameter("after", from)
                    .setMaxResults(pageRecordsMax)
                    .getResultList());
            for (Object[] row : page) {
                clientIds.add((String) row[1]);
            }
            if (page.size() < pageRecordsMax) {
                return clientIds;
            }
            after = (Long) page.get(page.size() - 1)[0];
        }
    }

    private static Thread writerThread(Runnable work) {
        Thread thread = new Thread(work, "decision-log-writer");
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Deletes the records of the transactions that finished before {@code cutoff}: an abort's outcome, and a commit's
     * decision with its completion once every bank acknowledged it. Incarnation markers and commit decisions still
     * waiting for a bank stay. A client that retries a pruned id afterwards is taken for new: the cutoff is the
     * idempotency window. Deletes {@code pageRowsMax} transactions per database transaction, so that appends go on
     * meanwhile; then retires the filter segments whose ids the table no longer holds.
     *
     * @return the rows deleted and the filter segments retired
     */
    @Override
    public Pruned prune(Instant cutoff, int pageRowsMax) {
        Timestamp before = Timestamp.from(cutoff);
        long deleted;
        try {
            deleted = deleteInPages(DELETE_FINISHED_COMMITS, before, pageRowsMax)
                    + deleteInPages(DELETE_ABORTS, before, pageRowsMax);
            // What stays of that time keeps its ids in the newest segment, so that retiring the old ones cannot make
            // the filter deny an id the table holds: only commits still waiting for a bank, as every abort before the
            // cutoff is gone, and a commit decision is the only other record that names a client.
            List<?> kept = transactions.read(manager -> manager.createNativeQuery(CLIENT_IDS_KEPT_QUERY)
                    .setParameter(1, before)
                    .getResultList());
            kept.forEach(clientId -> clientIds.add((String) clientId));
        } catch (PersistenceException e) {
            throw new DecisionLogException("cannot prune the decision log", e);
        }
        int retired = clientIds.retireSegmentsLastAddedBefore(cutoff.toEpochMilli() - FILTER_RETIRE_MARGIN_MILLIS);
        return new Pruned(deleted, retired);
    }

    /** What one {@link #prune} did. */
    public record Pruned(long rowsDeleted, int filterSegmentsRetired) implements PrunableDecisionLog.Pruning {
        @Override
        public boolean forgotAnything() {
            return rowsDeleted > 0;
        }

        @Override
        public String summary() {
            return rowsDeleted + " decision log rows, " + filterSegmentsRetired + " id filter segments";
        }
    }

    private long deleteInPages(String statement, Timestamp before, int pageRowsMax) {
        long deleted = 0;
        while (true) {
            int rows = transactions.inTransaction(manager -> manager.createNativeQuery(statement)
                    .setParameter(1, before)
                    .setParameter(2, pageRowsMax)
                    .executeUpdate());
            if (rows == 0) {
                return deleted;
            }
            deleted += rows;
        }
    }

    @Override
    public List<DecisionRecord> recoveredRecords() {
        return recovered;
    }

    @Override
    public long incarnation() {
        return incarnation;
    }

    @Override
    public CompletableFuture<Void> appendDurably(DecisionRecord record) {
        DecisionRecordEntity row = RecordMapping.toEntity(record);
        noteClientId(record);
        return writer.appendDurably(row);
    }

    @Override
    public void appendLazily(DecisionRecord record) {
        DecisionRecordEntity row = RecordMapping.toEntity(record);
        noteClientId(record);
        writer.appendLazily(row);
    }

    /** Before the row is queued, so that the filter never denies an id whose row a lookup could find. */
    private void noteClientId(DecisionRecord record) {
        if (record instanceof DecisionRecord.ClientOutcome outcome) {
            clientIds.add(outcome.clientId());
        }
    }

    @Override
    public Optional<DecisionRecord.ClientOutcome> outcomeOf(String clientId) {
        if (!clientIds.mightContain(clientId)) {
            return Optional.empty();
        }
        return firstRecord("the outcome of " + clientId, manager -> manager.createQuery(
                                OUTCOME_QUERY, DecisionRecordEntity.class)
                        .setParameter("clientId", clientId))
                .map(DecisionRecord.ClientOutcome.class::cast);
    }

    @Override
    public Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId) {
        return firstRecord("the commit decision of " + globalId, manager -> manager.createQuery(
                                COMMIT_DECISION_QUERY, DecisionRecordEntity.class)
                        .setParameter("globalId", globalId)
                        .setParameter("commit", RecordKind.COMMIT_DECISION))
                .map(DecisionRecord.CommitDecision.class::cast);
    }

    private Optional<DecisionRecord> firstRecord(
            String what, Function<EntityManager, TypedQuery<DecisionRecordEntity>> query) {
        List<DecisionRecordEntity> rows;
        try {
            rows = transactions.read(
                    manager -> query.apply(manager).setMaxResults(1).getResultList());
        } catch (PersistenceException e) {
            throw new DecisionLogException("cannot read " + what + " from the decision log", e);
        }
        return rows.stream().map(RecordMapping::fromEntity).findFirst();
    }

    /** The transactions committed since open, the new incarnation's included: each is one forced WAL write. */
    @Override
    public long forcedWrites() {
        return 1 + writer.transactions();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            writer.close(closeTimeoutMillis);
        } finally {
            onClose.run();
        }
    }
}
