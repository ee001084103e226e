package io.clearhouse.log.jpa;

import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.log.jpa.entity.DecisionRecordEntity;
import io.clearhouse.log.jpa.internal.GroupCommitWriter;
import io.clearhouse.log.jpa.internal.RecordMapping;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The decision log in PostgreSQL, one row per record in the table {@code decision_record}.
 *
 * <p>Opening it replays every row in write order, checking each against its checksum and the record format, then
 * commits a new incarnation one above the highest found. Durable appends are queued to one writer thread that
 * carries everything queued meanwhile in one transaction (group commit); a durable append's future completes when
 * that transaction has committed, which with PostgreSQL's default {@code synchronous_commit} means flushed to its
 * write-ahead log. Lazy appends ride with the next durable append's transaction.
 *
 * <p>Two ways to open it: {@link #open(String, String, String, JpaDecisionLogOptions)} outside a container, which
 * migrates the schema and builds its own resource-local persistence unit; and {@link #open(TransactionRunner,
 * JpaDecisionLogOptions, ThreadFactory, Runnable)} inside one, with the container's persistence unit, transactions
 * and managed thread factory, after {@link DecisionLogSchema#migrate(javax.sql.DataSource)}.
 */
public final class JpaDecisionLog implements DecisionLog {
    private static final String REPLAY_QUERY =
            "SELECT r FROM DecisionRecordEntity r WHERE r.sequenceNumber > :after ORDER BY r.sequenceNumber";

    private final GroupCommitWriter writer;
    private final List<DecisionRecord> recovered;
    private final long incarnation;
    private final long closeTimeoutMillis;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JpaDecisionLog(
            GroupCommitWriter writer,
            List<DecisionRecord> recovered,
            long incarnation,
            long closeTimeoutMillis,
            Runnable onClose) {
        this.writer = writer;
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
        long incarnation;
        try {
            recovered = replay(transactions, options.readPageRecordsMax());
            incarnation = nextIncarnation(recovered);
            DecisionRecordEntity marker = RecordMapping.toEntity(new DecisionRecord.Incarnation(incarnation));
            transactions.inTransaction(manager -> {
                manager.persist(marker);
                return null;
            });
        } catch (PersistenceException e) {
            throw new DecisionLogException("cannot open the decision log", e);
        }
        GroupCommitWriter writer = new GroupCommitWriter(
                rows -> transactions.inTransaction(manager -> {
                    rows.forEach(manager::persist);
                    return null;
                }),
                options.queueRecordsMax(),
                options.batchRecordsMax(),
                options.enqueueTimeoutMillis(),
                writerThreads);
        return new JpaDecisionLog(writer, List.copyOf(recovered), incarnation, options.closeTimeoutMillis(), onClose);
    }

    private static List<DecisionRecord> replay(TransactionRunner transactions, int pageRecordsMax) {
        List<DecisionRecord> records = new ArrayList<>();
        long after = Long.MIN_VALUE;
        while (true) {
            long from = after;
            List<DecisionRecordEntity> page =
                    transactions.inTransaction(manager -> manager.createQuery(REPLAY_QUERY, DecisionRecordEntity.class)
                            .setParameter("after", from)
                            .setMaxResults(pageRecordsMax)
                            .getResultList());
            for (DecisionRecordEntity row : page) {
                records.add(RecordMapping.fromEntity(row));
            }
            if (page.size() < pageRecordsMax) {
                return records;
            }
            after = page.get(page.size() - 1).sequenceNumber();
        }
    }

    private static long nextIncarnation(List<DecisionRecord> recovered) {
        long next = 1;
        for (DecisionRecord record : recovered) {
            if (record instanceof DecisionRecord.Incarnation marker) {
                next = Math.max(next, marker.number() + 1);
            }
        }
        return next;
    }

    private static Thread writerThread(Runnable work) {
        Thread thread = new Thread(work, "decision-log-writer");
        thread.setDaemon(true);
        return thread;
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
        return writer.appendDurably(RecordMapping.toEntity(record));
    }

    @Override
    public void appendLazily(DecisionRecord record) {
        writer.appendLazily(RecordMapping.toEntity(record));
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
