/**
 * The bank server: one process hosting many durable memory banks behind the bank protocol (HTTP/1.1 and JSON,
 * {@code docs/bank-protocol.md}), so that a coordinator reaches its banks over the network through the {@code remote}
 * adapter. The banks of a server share one write-ahead log ({@link io.clearhouse.bank.memory.MemoryBankGroup}), and
 * one request carries the messages of many of them. Depends on the memory bank, the SPI, the banks-file module (which
 * reads the initial state), Jackson, picocli and the JDK's {@code com.sun.net.httpserver}.
 */
package io.clearhouse.bankserver;
