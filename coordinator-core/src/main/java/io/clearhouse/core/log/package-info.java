/**
 * The decision log: the coordinator's durable memory of commit decisions and of the outcomes clients were told,
 * with its record format and the implementations behind one interface (in memory, and segment files on the journal
 * with a retention). Depends on the api records, the journal and the JDK; nothing here knows the protocol's states.
 */
package io.clearhouse.core.log;
