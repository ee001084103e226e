/**
 * Executes a parsed batch file through a {@link io.clearhouse.core.Coordinator} so that every outcome equals serial
 * execution in file order while independent transfers run concurrently: each account has a first-in, first-out
 * queue of the transfers that touch it, a transfer is submitted once it heads the queues of all its accounts, and it
 * leaves them when the coordinator reports phase two complete. Lines the file format refuses never reach the
 * coordinator. Depends on {@code io.clearhouse.api} and the coordinator interfaces of {@code io.clearhouse.core}
 * only, never on an engine or bank implementation.
 */
package io.clearhouse.core.batch;
