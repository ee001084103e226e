/**
 * The seeded simulation: the protocol core and recovery driven in virtual time by a runtime whose network delays,
 * drops, duplicates and reorders messages, whose banks crash, and whose coordinator is a cluster of nodes over a
 * Raft-replicated decision log modelled with terms, majority commit, elections and fencing by term, so that leaders
 * are lost between any two protocol steps; the invariants are checked after every seed. Test code; depends on the
 * engine's protocol, log, directory and recovery packages and on the spi.
 */
package io.clearhouse.core.simulation;
