/**
 * The {@code clearhouse} command line: picocli commands. {@code batch} reads its input files with Jackson, wires an
 * embedded coordinator to memory banks and prints results as JSON; {@code serve} starts the decision log's PostgreSQL
 * cluster (which also holds the databases of jdbc demo banks) and Payara Micro with the built WAR as separate
 * processes, and stops them in order; {@code cluster} starts
 * several Payara Micro nodes whose decision log is one Raft group, and a bank server for their banks, and starts a
 * node again when its process ends. Depends on {@code io.clearhouse.api}, the coordinator engine and its batch
 * scheduler, the memory bank adapter, the bank server, the PostgreSQL cluster library, picocli and Jackson (and, for
 * signals, the JDK's {@code sun.misc}); nothing depends on it.
 */
package io.clearhouse.cli;
