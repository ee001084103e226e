/**
 * The JSON shapes of the REST contract, read and written with Jackson rather than the container's JSON binding, so
 * that every malformed or out-of-range value gets a precise problem naming its field. May depend on the public API
 * types, the engine's batch results and Jackson.
 */
package io.clearhouse.web.json;
