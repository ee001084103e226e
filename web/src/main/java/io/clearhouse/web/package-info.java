/**
 * The REST API under {@code /api}: transfers, transactions, accounts, state and batches. Resources translate HTTP
 * and JSON to calls on the coordinator EJB and back; they hold no protocol logic. May depend on the EJB module, the
 * public API types, Jackson and the Jakarta EE and MicroProfile APIs.
 */
package io.clearhouse.web;
