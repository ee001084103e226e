/**
 * The workings of the PostgreSQL decision log, private to this module: the mapping between decision records and
 * rows, checked in both directions, and the group-commit writer that carries concurrent appends in one database
 * transaction. Depends on the core's decision-log records, the entities and Jakarta Persistence.
 */
package io.clearhouse.log.jpa.internal;
