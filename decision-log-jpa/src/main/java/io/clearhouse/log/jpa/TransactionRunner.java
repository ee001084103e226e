package io.clearhouse.log.jpa;

import jakarta.persistence.EntityManager;
import java.util.function.Function;

/**
 * Runs work in one database transaction of its own and commits it before returning. Outside a container that is a
 * resource-local transaction ({@link ResourceLocalTransactions}); inside one it will be a JTA transaction begun
 * with {@code UserTransaction} on a managed thread, the entity manager joining it, so the log can use the
 * container's pooled XA data source.
 */
public interface TransactionRunner {
    /**
     * Runs {@code work} with an entity manager in a new transaction and commits.
     *
     * @throws jakarta.persistence.PersistenceException if the work or the commit failed; the transaction is rolled
     *     back unless the commit itself failed, in which case its outcome is unknown
     */
    <T> T inTransaction(Function<EntityManager, T> work);

    /**
     * Runs {@code work}, which only reads, with an entity manager of its own and no transaction begun for it, so it
     * may run on any thread, a container's or not.
     *
     * @throws jakarta.persistence.PersistenceException if the work failed
     */
    <T> T read(Function<EntityManager, T> work);
}
