/**
 * What the operator console shows that no other endpoint gives: the throughput of the last minute and the most recent
 * transactions the API answered, kept in memory by structures that a transfer's thread only appends to. Plain Java
 * that the coordinator bean and its metrics fill; depends on the API module and the JDK only.
 */
package io.clearhouse.ejb.console;
