/**
 * Whether and where a transaction runs: the checks before its id is claimed, the retry rule, the business rules and
 * the routing to banks, in one place that the engine and the simulation both call.
 */
package io.clearhouse.core.admission;
