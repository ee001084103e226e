package io.clearhouse.ejb.internal;

import io.clearhouse.log.jpa.TransactionRunner;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;
import java.util.function.Function;

/**
 * Runs the decision log's work in JTA transactions of the container, so its writes go through the container's
 * pooled data source. Each call begins a transaction on the calling thread, joins a fresh entity manager to it and
 * commits; the decision log's writer thread comes from the container's managed thread factory, which is what
 * makes {@code UserTransaction} usable there.
 */
public final class JtaTransactions implements TransactionRunner {
    private final UserTransaction transaction;
    private final EntityManagerFactory entityManagers;

    public JtaTransactions(UserTransaction transaction, EntityManagerFactory entityManagers) {
        this.transaction = transaction;
        this.entityManagers = entityManagers;
    }

    @Override
    public <T> T inTransaction(Function<EntityManager, T> work) {
        begin();
        T result;
        try (EntityManager manager = entityManagers.createEntityManager()) {
            manager.joinTransaction();
            result = work.apply(manager);
            manager.flush();
        } catch (RuntimeException e) {
            rollbackQuietly(e);
            throw e instanceof PersistenceException ? e : new PersistenceException(e);
        }
        try {
            transaction.commit();
        } catch (Exception e) {
            throw new PersistenceException("the decision log's transaction did not commit", e);
        }
        return result;
    }

    /** Outside any JTA transaction: the container's data source lends a connection that no transaction enlists. */
    @Override
    public <T> T read(Function<EntityManager, T> work) {
        try (EntityManager manager = entityManagers.createEntityManager()) {
            return work.apply(manager);
        }
    }

    private void begin() {
        try {
            transaction.begin();
        } catch (Exception e) {
            throw new PersistenceException("cannot begin a transaction for the decision log", e);
        }
    }

    private void rollbackQuietly(RuntimeException cause) {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (SystemException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
