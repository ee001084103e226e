/**
 * The account directory: which bank holds each account, and the split of a transaction into one branch per bank.
 * Depends on the api and spi modules and on the protocol's branch record.
 */
package io.clearhouse.core.directory;
