/**
 * Container plumbing private to the EJB module: JTA transactions for the decision log and the running coordinator.
 * May depend on the engine, the decision log and the Jakarta EE API; nothing outside this module uses it.
 */
package io.clearhouse.ejb.internal;
