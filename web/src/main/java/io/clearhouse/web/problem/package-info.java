/**
 * Errors as RFC 9457 problem documents ({@code application/problem+json}) with the Clearhouse reason code and the
 * offending field. May depend on the public API types and JAX-RS.
 */
package io.clearhouse.web.problem;
