package io.clearhouse.core.batch;

/**
 * Limits of one batch execution.
 *
 * @param workerThreads threads that submit transfers, the caller's own included; with a coordinator that completes
 *     in-memory transfers on the submitting thread, this is the degree of parallelism
 * @param inFlightMax transfers submitted and not yet complete; a worker may overshoot it by one transfer each, so
 *     the true bound is {@code inFlightMax + workerThreads - 1}
 */
public record BatchOptions(int workerThreads, int inFlightMax) {
    public static final int WORKER_THREADS_MAX = 64;

    public BatchOptions {
        if (workerThreads < 1 || workerThreads > WORKER_THREADS_MAX) {
            throw new IllegalArgumentException(
                    "workerThreads must lie in 1.." + WORKER_THREADS_MAX + ": " + workerThreads);
        }
        if (inFlightMax < 1) {
            throw new IllegalArgumentException("inFlightMax must be positive: " + inFlightMax);
        }
    }

    /** One worker per processor and room for the group commits of durable banks to fill up. */
    public static BatchOptions defaults() {
        int processors = Runtime.getRuntime().availableProcessors();
        return new BatchOptions(Math.min(processors, WORKER_THREADS_MAX), 4096);
    }

    public BatchOptions withWorkerThreads(int threads) {
        return new BatchOptions(threads, inFlightMax);
    }

    public BatchOptions withInFlightMax(int max) {
        return new BatchOptions(workerThreads, max);
    }
}
