/**
 * The decision log in PostgreSQL: {@link io.clearhouse.log.jpa.JpaDecisionLog} stores decision records as JPA
 * entities through Hibernate ORM 6.6, in a schema that Flyway migrations create, and carries concurrent durable
 * appends in one database transaction (group commit). Outside a container it builds its own resource-local
 * persistence unit from a JDBC URL; inside one it takes the container's persistence unit and transactions through
 * {@link io.clearhouse.log.jpa.TransactionRunner}. Depends on the core's decision-log interface, Jakarta
 * Persistence, Hibernate, Flyway and the PostgreSQL driver.
 */
package io.clearhouse.log.jpa;
