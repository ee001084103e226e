/**
 * The seeded simulation: the protocol core and recovery driven in virtual time by a runtime whose network delays,
 * drops, duplicates and reorders messages and whose banks and coordinator crash, with the invariants checked after
 * every seed. Test code; depends on the engine's protocol, log, directory and recovery packages and on the spi.
 */
package io.clearhouse.core.simulation;
