package io.clearhouse.cli;

import java.nio.file.Path;

/**
 * What one {@code batch} command line asks for, however it was read ({@link BatchCommand} through picocli, or {@link
 * PlainBatchArguments}).
 *
 * @param initialState the state file of memory banks, or {@code null} when the banks come from a banks file
 * @param banksFile the banks file, or {@code null} when the banks come from a state file; exactly one of the two is set
 * @param transactions the transactions file
 * @param dataDirectory where a durable run keeps its logs, or {@code null} for a run in memory
 * @param logRetentionHours how long a durable run's decision log remembers a finished transaction, 0 for ever; not yet
 *     checked against its range, which {@link BatchRun} does with the files' checks
 * @param stats whether figures of the run go to standard error
 */
record BatchRequest(
        Path initialState,
        Path banksFile,
        Path transactions,
        Path dataDirectory,
        long logRetentionHours,
        boolean stats) {}
