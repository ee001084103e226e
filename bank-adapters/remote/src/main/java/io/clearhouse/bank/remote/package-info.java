/**
 * The {@code remote} bank adapter: banks hosted by a bank server ({@code clearhouse bank-server}), reached over the
 * bank protocol, HTTP/1.1 and JSON ({@code docs/bank-protocol.md}). The banks that name one server share one client,
 * which sends the messages of all of them that arrive while its requests are in flight together, in one request.
 * Depends on the SPI, Jackson and Apache HttpClient 5 (classic); never on the server's code, so the wire format is the
 * only thing the two share.
 */
package io.clearhouse.bank.remote;
