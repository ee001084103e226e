/**
 * The production runtime: {@link io.clearhouse.core.engine.EmbeddedCoordinator} drives the protocol core with
 * executors and the wall clock against real bank adapters and a decision log, runs recovery at open, and counts
 * messages and forced writes. Depends on the protocol, directory, log and recovery packages, the api and the spi.
 */
package io.clearhouse.core.engine;
