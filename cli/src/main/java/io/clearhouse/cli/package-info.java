/**
 * The {@code clearhouse} command line: picocli commands that read their input files with Jackson, wire an embedded
 * coordinator to memory banks and print results as JSON. Depends on {@code io.clearhouse.api}, the coordinator
 * engine and its batch scheduler, the memory bank adapter, picocli and Jackson; nothing depends on it.
 */
package io.clearhouse.cli;
