/**
 * The public contract of Clearhouse: transactions as postings that sum to zero, their outcomes and the reason
 * codes an abort carries. Records and enums only, depending on the JDK alone, so that clients, adapters and the
 * coordinator share one vocabulary without sharing an implementation.
 */
package io.clearhouse.api;
