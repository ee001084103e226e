package io.clearhouse.log.jpa;

import io.clearhouse.log.jpa.entity.DecisionRecordEntity;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.Map;
import org.hibernate.cfg.Configuration;

/**
 * Builds the decision log's persistence unit outside a container: resource-local, Hibernate's small built-in
 * connection pool, and schema validation against what Flyway made, so an entity that drifts from the migrations
 * fails at open rather than at the first write. A container lists {@link #ENTITY_CLASSES} in its own {@code
 * persistence.xml} instead.
 */
public final class ResourceLocalPersistence {
    /** Every entity of the decision log, for a container's persistence unit. */
    public static final List<Class<?>> ENTITY_CLASSES = List.of(DecisionRecordEntity.class);

    private ResourceLocalPersistence() {}

    /** A resource-local entity manager factory over the database at {@code jdbcUrl}. */
    public static EntityManagerFactory create(String jdbcUrl, String user, String password, int poolSize) {
        Configuration configuration = new Configuration();
        ENTITY_CLASSES.forEach(configuration::addAnnotatedClass);
        Map.of(
                        "hibernate.connection.url",
                        jdbcUrl,
                        "hibernate.connection.username",
                        user,
                        "hibernate.connection.password",
                        password,
                        "hibernate.connection.pool_size",
                        Integer.toString(poolSize),
                        "hibernate.hbm2ddl.auto",
                        "validate",
                        "hibernate.jdbc.fetch_size",
                        "1000")
                .forEach(configuration::setProperty);
        return configuration.buildSessionFactory();
    }
}
