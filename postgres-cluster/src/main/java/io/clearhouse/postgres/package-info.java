/**
 * A PostgreSQL server for Clearhouse's tests and its launcher: a throwaway cluster created with the installed
 * binaries ({@code initdb}, {@code pg_ctl}) on a free loopback port and removed afterwards, a persistent cluster in
 * a data directory that survives restarts, or an existing database named by {@code CLEARHOUSE_JDBC_URL}. It runs
 * the server as an unprivileged user when the JVM runs as root, because PostgreSQL refuses root. Depends on the JDK
 * only; creating databases uses {@code java.sql} and so needs a PostgreSQL JDBC driver on the class path at run time.
 */
package io.clearhouse.postgres;
