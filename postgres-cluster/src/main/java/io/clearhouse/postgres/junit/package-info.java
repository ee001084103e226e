/**
 * The JUnit 5 extension that gives tests a PostgreSQL database: one cluster per test JVM, shared by every test class
 * that registers the extension, with a fresh database per test on request. Depends on the cluster lifecycle in
 * {@code io.clearhouse.postgres} and on the JUnit Jupiter API, which is an optional dependency of this module.
 */
package io.clearhouse.postgres.junit;
