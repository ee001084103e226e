package io.clearhouse.bench;

/**
 * Bounds of one {@link ClientLoad} run.
 *
 * @param clients concurrent clients, each with one transaction in flight
 * @param mode how the clients wait for their outcomes
 * @param warmupMillis time before the measured window opens, for the JIT compiler and the logs to settle
 * @param measureMillis length of the measured window
 * @param transactionsMax transactions submitted at most, warm-up included; the run ends early when they are spent
 * @param outcomeTimeoutMillis how long a client thread waits for one outcome before counting the transaction as
 *     failed; a chained client waits as long as it takes, and the run fails when clients have not stopped twice this
 *     long after the window closed
 */
record LoadSettings(
        int clients,
        ClientMode mode,
        long warmupMillis,
        long measureMillis,
        long transactionsMax,
        long outcomeTimeoutMillis) {
    LoadSettings {
        if (clients < 1
                || mode == null
                || warmupMillis < 0
                || measureMillis < 1
                || transactionsMax < 1
                || outcomeTimeoutMillis < 1) {
            throw new IllegalArgumentException("load settings out of range: " + this);
        }
    }
}
