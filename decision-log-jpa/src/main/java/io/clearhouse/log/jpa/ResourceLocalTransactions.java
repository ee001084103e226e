package io.clearhouse.log.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.PersistenceException;
import java.util.function.Function;

/** Transactions of a resource-local persistence unit: one entity manager and one JDBC transaction per call. */
public final class ResourceLocalTransactions implements TransactionRunner {
    private final EntityManagerFactory factory;

    public ResourceLocalTransactions(EntityManagerFactory factory) {
        this.factory = factory;
    }

    @Override
    public <T> T inTransaction(Function<EntityManager, T> work) {
        try (EntityManagerCloser closer = new EntityManagerCloser(factory.createEntityManager())) {
            EntityTransaction transaction = closer.manager().getTransaction();
            transaction.begin();
            try {
                T result = work.apply(closer.manager());
                transaction.commit();
                return result;
            } catch (RuntimeException e) {
                rollBackAfter(transaction, e);
                throw e;
            }
        }
    }

    @Override
    public <T> T read(Function<EntityManager, T> work) {
        try (EntityManagerCloser closer = new EntityManagerCloser(factory.createEntityManager())) {
            return work.apply(closer.manager());
        }
    }

    private static void rollBackAfter(EntityTransaction transaction, RuntimeException primary) {
        try {
            if (transaction.isActive()) {
                transaction.rollback();
            }
        } catch (PersistenceException e) {
            primary.addSuppressed(e);
        }
    }

    /** Jakarta Persistence 3.1's EntityManager is not AutoCloseable yet; 3.2's is. */
    private record EntityManagerCloser(EntityManager manager) implements AutoCloseable {
        @Override
        public void close() {
            manager.close();
        }
    }
}
