/**
 * The batch file format: one transfer per line, {@code transaction_id,source_account,destination_account,amount}.
 * Parsing applies the rules that depend on the file alone (format, duplicate ids, amount, same account); the rules
 * that depend on the banks are the coordinator's. JDK only.
 */
package io.clearhouse.api.batch;
