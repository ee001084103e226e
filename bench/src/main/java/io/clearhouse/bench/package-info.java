/**
 * Benchmarks that print figures rather than assert them: a seeded generator of batch inputs, the batch engine's
 * throughput measured inside one JVM, and durable embedded cross-bank transfers from concurrent clients. Each is a
 * plain {@code main}, bounded in time and in count, that writes only under a directory it is given (by default
 * under {@code target/}). It may depend on every Clearhouse module, Jackson and HdrHistogram; nothing depends on it.
 */
package io.clearhouse.bench;
