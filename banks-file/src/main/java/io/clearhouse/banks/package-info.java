/**
 * The files that name banks: the banks file, which names the banks a coordinator runs over with their adapter type,
 * settings and opening balances, with the opening of those banks through the adapters' providers; and the initial
 * state (STATE.json), the banks and opening balances of the batch command, {@code serve --initial-state} and the bank
 * server. Shared by the server, the bank server and the command line, so that one set of rules and messages holds
 * for each file; depends on the SPI and Jackson only.
 */
package io.clearhouse.banks;
