/**
 * The JPA entities of the PostgreSQL decision log, public so that a container's {@code persistence.xml} can list
 * them. Depends on Jakarta Persistence only; the mapping to and from {@code DecisionRecord} lives elsewhere.
 */
package io.clearhouse.log.jpa.entity;
