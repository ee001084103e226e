package io.clearhouse.log.jpa;

/**
 * The limits of a {@link JpaDecisionLog}.
 *
 * @param batchRecordsMax the most records one database transaction carries
 * @param queueRecordsMax the most records waiting for the writer; appenders wait while it is full
 * @param enqueueTimeoutMillis how long an append waits for room in a full queue before it fails
 * @param closeTimeoutMillis how long close waits for the writer to write what is queued
 * @param readPageRecordsMax how many records one query reads when the log is replayed at open
 * @param connectionPoolSize connections of the resource-local persistence unit; unused in a container
 */
public record JpaDecisionLogOptions(
        int batchRecordsMax,
        int queueRecordsMax,
        long enqueueTimeoutMillis,
        long closeTimeoutMillis,
        int readPageRecordsMax,
        int connectionPoolSize) {
    public JpaDecisionLogOptions {
        requirePositive(batchRecordsMax, "batchRecordsMax");
        requirePositive(queueRecordsMax, "queueRecordsMax");
        requirePositive(enqueueTimeoutMillis, "enqueueTimeoutMillis");
        requirePositive(closeTimeoutMillis, "closeTimeoutMillis");
        requirePositive(readPageRecordsMax, "readPageRecordsMax");
        requirePositive(connectionPoolSize, "connectionPoolSize");
    }

    /**
     * Transactions of up to 1,000 records, 65,536 queued, 10 s to wait for room or to close, pages of 10,000 at
     * replay, 2 connections (the writer's and one for reads).
     */
    public static JpaDecisionLogOptions defaults() {
        return new JpaDecisionLogOptions(1000, 65_536, 10_000, 10_000, 10_000, 2);
    }

    public JpaDecisionLogOptions withBatchRecordsMax(int records) {
        return new JpaDecisionLogOptions(
                records,
                queueRecordsMax,
                enqueueTimeoutMillis,
                closeTimeoutMillis,
                readPageRecordsMax,
                connectionPoolSize);
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
