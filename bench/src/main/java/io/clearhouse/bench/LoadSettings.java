package io.clearhouse.bench;

/**
 * Bounds of one {@link ClientLoad} run.
 *
 * @param threads client threads, each with one transaction in flight
 * @param warmupMillis time before the measured window opens, for the JIT compiler and the logs to settle
 * @param measureMillis length of the measured window
 * @param transactionsMax transactions submitted at most, warm-up included; the run ends early when they are spent
 * @param outcomeTimeoutMillis how long a client waits for one outcome before counting the transaction as failed
 */
record LoadSettings(
        int threads, long warmupMillis, long measureMillis, long transactionsMax, long outcomeTimeoutMillis) {
    LoadSettings {
        if (threads < 1 || warmupMillis < 0 || measureMillis < 1 || transactionsMax < 1 || outcomeTimeoutMillis < 1) {
            throw new IllegalArgumentException("load settings out of range: " + this);
        }
    }
}
