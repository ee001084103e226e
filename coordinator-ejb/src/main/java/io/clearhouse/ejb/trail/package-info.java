/**
 * The audit trail of operators' manual actions (settlements by hand, forced or not, and recovery passes on demand):
 * who, when, what and why, appended to a table in the server's PostgreSQL before the API answers, and listed newest
 * first. Depends on the JDK's JDBC, Flyway and the jakarta ApplicationException annotation.
 */
package io.clearhouse.ejb.trail;
