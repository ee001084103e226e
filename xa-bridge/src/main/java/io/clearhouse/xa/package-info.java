/**
 * The bridge between Clearhouse's participant SPI and XA, both ways. {@link io.clearhouse.xa.ParticipantXAResource}
 * lets an XA transaction manager (Narayana, a Jakarta EE server) drive any {@link io.clearhouse.spi.BankAdapter} as
 * an {@link javax.transaction.xa.XAResource}; {@link io.clearhouse.xa.XAResourceParticipant} lets Clearhouse's
 * coordinator drive any XA resource manager as a bank. Two reversible encodings tie the two kinds of xid together:
 * {@link io.clearhouse.xa.XaBranchId} carries a transaction manager's xid inside a Clearhouse transaction id, and
 * {@link io.clearhouse.xa.ClearhouseXaXids} gives a Clearhouse xid an XA form of its own. Depends on {@code
 * io.clearhouse.spi}, {@code io.clearhouse.api} and the JDK ({@code javax.transaction.xa}) only; no transaction
 * manager is needed to compile against it.
 */
package io.clearhouse.xa;
