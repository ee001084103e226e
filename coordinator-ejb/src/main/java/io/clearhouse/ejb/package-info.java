/**
 * The Jakarta EE face of the engine: the coordinator singleton that the API calls, the start-up recovery bean that
 * opens it, and its metrics. May depend on the engine, the decision log, the configuration package and the Jakarta
 * EE and MicroProfile APIs; the engine never depends on it.
 */
package io.clearhouse.ejb;
