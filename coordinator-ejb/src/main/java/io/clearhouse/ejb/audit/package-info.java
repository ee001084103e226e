/**
 * The conservation audit: every bank's posted balances summed against the total the banks opened with, as plain Java
 * that the coordinator bean, the API, the metrics and the readiness check share. Depends on the JDK only.
 */
package io.clearhouse.ejb.audit;
