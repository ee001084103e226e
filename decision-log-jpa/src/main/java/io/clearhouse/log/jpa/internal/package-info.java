/**
 * The workings of the PostgreSQL decision log, private to this module: the mapping between decision records and
 * rows, checked in both directions, the group-commit writer that carries concurrent appends in one database
 * transaction, and the JDBC batch that inserts them. Depends on the core's decision-log records, the entities,
 * Jakarta Persistence and Hibernate's {@code Session}, whose connection the batch borrows.
 */
package io.clearhouse.log.jpa.internal;
