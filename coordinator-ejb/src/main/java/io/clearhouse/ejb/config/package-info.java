/**
 * The server's configuration: settings read from MicroProfile Config and the banks file they point to. Plain Java
 * over the engine's option types and Jackson, with no container type, so it is tested without a server.
 */
package io.clearhouse.ejb.config;
