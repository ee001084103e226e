/**
 * The banks file, which names the banks a coordinator runs over with their adapter type, settings and opening
 * balances, and the opening of those banks through the adapters' providers. Shared by the server and the command
 * line; depends on the SPI and Jackson only.
 */
package io.clearhouse.banks;
