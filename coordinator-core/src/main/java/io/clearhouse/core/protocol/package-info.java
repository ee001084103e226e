/**
 * The deterministic protocol core: two-phase commit with presumed abort for one transaction as a state machine
 * that takes {@link io.clearhouse.core.protocol.Event}s and returns {@link io.clearhouse.core.protocol.Effect}s.
 * It owns no thread, clock, socket or file, so the production runtime and the simulation drive the same code.
 * Depends on the api and spi records and on the decision log's record types only.
 */
package io.clearhouse.core.protocol;
