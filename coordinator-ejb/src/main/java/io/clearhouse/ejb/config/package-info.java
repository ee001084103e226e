/**
 * The server's configuration: settings read from MicroProfile Config (the banks file they name is read by {@code
 * io.clearhouse.banks}). Plain Java over the engine's option types, with no container type, so it is tested without a
 * server.
 */
package io.clearhouse.ejb.config;
