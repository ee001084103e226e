package io.clearhouse.ejb.config;

import io.clearhouse.api.TransactionRules;
import io.clearhouse.core.engine.CoordinatorOptions;
import io.clearhouse.core.log.DecisionRecords;
import io.clearhouse.log.jpa.JpaDecisionLogOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every setting of the server, read once at start from MicroProfile Config (system properties, environment
 * variables such as {@code CLEARHOUSE_BANKS_FILE}, or {@code microprofile-config.properties}). Each limit has a
 * named key and a default; {@link #effective()} lists the values in effect so the server can log them.
 *
 * @param banksFile the JSON file that lists the banks, their adapter type, settings and accounts
 * @param coordinator the engine's timeouts and limits
 * @param decisionLog the PostgreSQL decision log's batching limits
 * @param replyTimeoutMillis how long a request waits for its durable outcome before it is answered 503
 * @param recoveryIntervalSeconds the pause between two periodic recovery passes
 * @param conservationIntervalMillis the pause between two background conservation audits; 0 runs none
 * @param batchLinesMax the most lines one {@code POST /api/batches} may carry
 * @param bodyBytesMax the largest body of a {@code POST} of one transfer or transaction, in bytes
 * @param batchBodyBytesMax the largest body of one {@code POST /api/batches}, in bytes
 * @param logRetention how long the decision log, PostgreSQL's or the replicated one, keeps finished transactions
 * @param consoleRecentTransactionsMax how many of the API's last transactions the console lists
 * @param raft this node's place in a cluster when the decision log is replicated with Raft ({@code
 *     clearhouse.decision-log=raft}); empty for the PostgreSQL decision log
 */
public record ServerSettings(
        Path banksFile,
        CoordinatorOptions coordinator,
        JpaDecisionLogOptions decisionLog,
        long replyTimeoutMillis,
        long recoveryIntervalSeconds,
        long conservationIntervalMillis,
        int batchLinesMax,
        int bodyBytesMax,
        long batchBodyBytesMax,
        LogRetention logRetention,
        int consoleRecentTransactionsMax,
        Optional<RaftSettings> raft) {
    public static final String DECISION_LOG = "clearhouse.decision-log";
    public static final String DECISION_LOG_POSTGRESQL = "postgresql";
    public static final String DECISION_LOG_RAFT = "raft";
    public static final String BANKS_FILE = "clearhouse.banks.file";
    public static final String PREPARE_TIMEOUT_MILLIS = "clearhouse.prepare-timeout-millis";
    public static final String POSTINGS_MAX = "clearhouse.postings-max";
    public static final String IN_FLIGHT_MAX = "clearhouse.in-flight-max";
    public static final String ENGINE_THREADS = "clearhouse.engine-threads";
    public static final String ENGINE_THREADS_KEEP_ALIVE_MILLIS = "clearhouse.engine-threads.keep-alive-millis";
    public static final String CLOSE_TIMEOUT_MILLIS = "clearhouse.close-timeout-millis";
    public static final String RECOVERY_ATTEMPTS_MAX = "clearhouse.recovery.attempts-max";
    public static final String FINISHED_OUTCOMES_IN_MEMORY_MAX = "clearhouse.finished-outcomes-in-memory-max";
    public static final String BANK_MESSAGE_BRANCHES_MAX = "clearhouse.bank-message.branches-max";
    public static final String BANK_MESSAGE_LINGER_MILLIS = "clearhouse.bank-message.linger-millis";
    public static final String BANK_MESSAGES_IN_FLIGHT_MAX = "clearhouse.bank-message.in-flight-max";
    public static final String PHASE_TWO_ATTEMPTS_MAX = "clearhouse.phase-two.attempts-max";
    public static final String PHASE_TWO_RETRY_INITIAL_DELAY_MILLIS = "clearhouse.phase-two.retry-initial-delay-millis";
    public static final String PHASE_TWO_RETRY_MAX_DELAY_MILLIS = "clearhouse.phase-two.retry-max-delay-millis";
    public static final String REPLY_TIMEOUT_MILLIS = "clearhouse.reply-timeout-millis";
    public static final String RECOVERY_INTERVAL_SECONDS = "clearhouse.recovery.interval-seconds";
    public static final String CONSERVATION_INTERVAL_MILLIS = "clearhouse.audit.conservation-interval-millis";
    public static final long CONSERVATION_INTERVAL_MILLIS_DEFAULT = 60_000;
    public static final String BATCH_LINES_MAX = "clearhouse.batch.lines-max";
    public static final String BATCH_BODY_BYTES_MAX = "clearhouse.batch.body-bytes-max";
    /** Room for the default line limit's million lines of some 100 bytes each. */
    static final long BATCH_BODY_BYTES_MAX_DEFAULT = 128L << 20;

    public static final String DECISION_LOG_BATCH_RECORDS_MAX = "clearhouse.decision-log.batch-records-max";
    public static final String ID_LENGTH_MAX = TransactionRules.ID_LENGTH_MAX_SETTING;
    public static final String BODY_BYTES_MAX = "clearhouse.limits.body-bytes-max";
    public static final String CONSOLE_RECENT_TRANSACTIONS_MAX = "clearhouse.console.recent-transactions-max";

    static final long REPLY_TIMEOUT_MILLIS_DEFAULT = 30_000;
    static final long RECOVERY_INTERVAL_SECONDS_DEFAULT = 30;
    static final int BATCH_LINES_MAX_DEFAULT = 1_000_000;
    /**
     * 1 MiB: a transfer with ids of the longest default length takes about 50 KB, and the largest transaction a
     * person would write, many times less than this. The body is read into memory, so the limit bounds the memory
     * one request takes.
     */
    static final int BODY_BYTES_MAX_DEFAULT = 1 << 20;
    /** A screenful; the ring is kept in memory and copied on every refresh of the console. */
    static final int CONSOLE_RECENT_TRANSACTIONS_MAX_DEFAULT = 50;

    static final int CONSOLE_RECENT_TRANSACTIONS_MAX_LIMIT = 10_000;
    /** About 30 MB of outcomes; older ones are read from PostgreSQL when a client asks again. */
    static final int FINISHED_OUTCOMES_IN_MEMORY_MAX_DEFAULT = 100_000;

    /**
     * Reads the settings through {@code lookup}, which answers a key with its configured text or nothing.
     *
     * @throws IllegalArgumentException naming the key when a value is missing or not a positive integer
     */
    public static ServerSettings read(Function<String, Optional<String>> lookup) {
        Path banksFile = Path.of(lookup.apply(BANKS_FILE)
                .filter(value -> !value.isBlank())
                .orElseThrow(() -> new IllegalArgumentException(
                        "the setting " + BANKS_FILE + " (or CLEARHOUSE_BANKS_FILE) must name the banks file")));
        CoordinatorOptions defaults = CoordinatorOptions.defaults();
        CoordinatorOptions coordinator = defaults.withPrepareTimeoutMillis(
                        positive(lookup, PREPARE_TIMEOUT_MILLIS, defaults.prepareTimeoutMillis()))
                .withPostingsMax((int) positive(lookup, POSTINGS_MAX, defaults.postingsMax(), Integer.MAX_VALUE))
                // No higher than a decision log stores, so that the limit, not a failed write, refuses an id.
                .withIdLengthMax(
                        (int) positive(lookup, ID_LENGTH_MAX, defaults.idLengthMax(), DecisionRecords.TEXT_LENGTH_MAX))
                .withInFlightMax((int) positive(lookup, IN_FLIGHT_MAX, defaults.inFlightMax(), Integer.MAX_VALUE))
                .withThreads((int) positive(lookup, ENGINE_THREADS, defaults.threads(), Integer.MAX_VALUE))
                .withIdleThreadKeepAliveMillis(
                        positive(lookup, ENGINE_THREADS_KEEP_ALIVE_MILLIS, defaults.idleThreadKeepAliveMillis()))
                .withCloseTimeoutMillis(positive(lookup, CLOSE_TIMEOUT_MILLIS, defaults.closeTimeoutMillis()))
                .withRecoveryAttemptsMax((int)
                        positive(lookup, RECOVERY_ATTEMPTS_MAX, defaults.recoveryAttemptsMax(), Integer.MAX_VALUE))
                .withFinishedOutcomesInMemoryMax((int) positive(
                        lookup,
                        FINISHED_OUTCOMES_IN_MEMORY_MAX,
                        FINISHED_OUTCOMES_IN_MEMORY_MAX_DEFAULT,
                        Integer.MAX_VALUE))
                .withBankMessageBranchesMax((int) positive(
                        lookup, BANK_MESSAGE_BRANCHES_MAX, defaults.bankMessageBranchesMax(), Integer.MAX_VALUE))
                .withBankMessageLingerMillis(
                        notNegative(lookup, BANK_MESSAGE_LINGER_MILLIS, defaults.bankMessageLingerMillis()))
                .withBankMessagesInFlightMax((int) positive(
                        lookup, BANK_MESSAGES_IN_FLIGHT_MAX, defaults.bankMessagesInFlightMax(), Integer.MAX_VALUE))
                .withPhaseTwoRetry(
                        positive(
                                lookup,
                                PHASE_TWO_RETRY_INITIAL_DELAY_MILLIS,
                                defaults.phaseTwoRetryInitialDelayMillis()),
                        positive(lookup, PHASE_TWO_RETRY_MAX_DELAY_MILLIS, defaults.phaseTwoRetryMaxDelayMillis()),
                        (int) positive(
                                lookup, PHASE_TWO_ATTEMPTS_MAX, defaults.phaseTwoAttemptsMax(), Integer.MAX_VALUE));
        JpaDecisionLogOptions logDefaults = JpaDecisionLogOptions.defaults();
        JpaDecisionLogOptions decisionLog = logDefaults.withBatchRecordsMax((int)
                positive(lookup, DECISION_LOG_BATCH_RECORDS_MAX, logDefaults.batchRecordsMax(), Integer.MAX_VALUE));
        return new ServerSettings(
                banksFile,
                coordinator,
                decisionLog,
                positive(lookup, REPLY_TIMEOUT_MILLIS, REPLY_TIMEOUT_MILLIS_DEFAULT),
                positive(lookup, RECOVERY_INTERVAL_SECONDS, RECOVERY_INTERVAL_SECONDS_DEFAULT),
                notNegative(lookup, CONSERVATION_INTERVAL_MILLIS, CONSERVATION_INTERVAL_MILLIS_DEFAULT),
                (int) positive(lookup, BATCH_LINES_MAX, BATCH_LINES_MAX_DEFAULT, Integer.MAX_VALUE),
                (int) positive(lookup, BODY_BYTES_MAX, BODY_BYTES_MAX_DEFAULT, Integer.MAX_VALUE - 8),
                positive(lookup, BATCH_BODY_BYTES_MAX, BATCH_BODY_BYTES_MAX_DEFAULT),
                new LogRetention(
                        notNegative(lookup, LogRetention.RETENTION_MILLIS, LogRetention.RETENTION_MILLIS_DEFAULT),
                        positive(
                                lookup, LogRetention.PRUNE_INTERVAL_MILLIS, LogRetention.PRUNE_INTERVAL_MILLIS_DEFAULT),
                        (int) positive(
                                lookup,
                                LogRetention.PRUNE_PAGE_TRANSACTIONS_MAX,
                                LogRetention.PRUNE_PAGE_TRANSACTIONS_MAX_DEFAULT,
                                Integer.MAX_VALUE)),
                (int) positive(
                        lookup,
                        CONSOLE_RECENT_TRANSACTIONS_MAX,
                        CONSOLE_RECENT_TRANSACTIONS_MAX_DEFAULT,
                        CONSOLE_RECENT_TRANSACTIONS_MAX_LIMIT),
                isRaft(lookup) ? Optional.of(RaftSettings.read(lookup)) : Optional.empty());
    }

    private static boolean isRaft(Function<String, Optional<String>> lookup) {
        String kind = lookup.apply(DECISION_LOG).map(String::trim).orElse(DECISION_LOG_POSTGRESQL);
        if (kind.equals(DECISION_LOG_RAFT)) {
            return true;
        }
        if (kind.equals(DECISION_LOG_POSTGRESQL)) {
            return false;
        }
        throw new IllegalArgumentException("the setting " + DECISION_LOG + " must be " + DECISION_LOG_POSTGRESQL
                + " or " + DECISION_LOG_RAFT + ", not \"" + kind + "\"");
    }

    static long positive(Function<String, Optional<String>> lookup, String key, long defaultValue) {
        return positive(lookup, key, defaultValue, Long.MAX_VALUE);
    }

    static long positive(Function<String, Optional<String>> lookup, String key, long defaultValue, long max) {
        return inRange(lookup, key, defaultValue, 1, max);
    }

    /** A wait that may be 0, meaning none. */
    private static long notNegative(Function<String, Optional<String>> lookup, String key, long defaultValue) {
        return inRange(lookup, key, defaultValue, 0, Long.MAX_VALUE);
    }

    private static long inRange(
            Function<String, Optional<String>> lookup, String key, long defaultValue, long min, long max) {
        Optional<String> text = lookup.apply(key).map(String::trim);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(text.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the key, like an out-of-range value.
        }
        throw new IllegalArgumentException(
                "the setting " + key + " must be an integer in " + min + ".." + max + ", not \"" + text.get() + "\"");
    }

    /** The values in effect, by key, in a stable order. */
    public Map<String, Object> effective() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(DECISION_LOG, raft.isPresent() ? DECISION_LOG_RAFT : DECISION_LOG_POSTGRESQL);
        values.put(BANKS_FILE, banksFile);
        values.put(PREPARE_TIMEOUT_MILLIS, coordinator.prepareTimeoutMillis());
        values.put(POSTINGS_MAX, coordinator.postingsMax());
        values.put(ID_LENGTH_MAX, coordinator.idLengthMax());
        values.put(BODY_BYTES_MAX, bodyBytesMax);
        values.put(IN_FLIGHT_MAX, coordinator.inFlightMax());
        values.put(ENGINE_THREADS, coordinator.threads());
        values.put(ENGINE_THREADS_KEEP_ALIVE_MILLIS, coordinator.idleThreadKeepAliveMillis());
        values.put(CLOSE_TIMEOUT_MILLIS, coordinator.closeTimeoutMillis());
        values.put(FINISHED_OUTCOMES_IN_MEMORY_MAX, coordinator.finishedOutcomesInMemoryMax());
        values.put(BANK_MESSAGE_BRANCHES_MAX, coordinator.bankMessageBranchesMax());
        values.put(BANK_MESSAGE_LINGER_MILLIS, coordinator.bankMessageLingerMillis());
        values.put(BANK_MESSAGES_IN_FLIGHT_MAX, coordinator.bankMessagesInFlightMax());
        values.put(PHASE_TWO_ATTEMPTS_MAX, coordinator.phaseTwoAttemptsMax());
        values.put(PHASE_TWO_RETRY_INITIAL_DELAY_MILLIS, coordinator.phaseTwoRetryInitialDelayMillis());
        values.put(PHASE_TWO_RETRY_MAX_DELAY_MILLIS, coordinator.phaseTwoRetryMaxDelayMillis());
        values.put(REPLY_TIMEOUT_MILLIS, replyTimeoutMillis);
        values.put(RECOVERY_INTERVAL_SECONDS, recoveryIntervalSeconds);
        values.put(RECOVERY_ATTEMPTS_MAX, coordinator.recoveryAttemptsMax());
        values.put(CONSERVATION_INTERVAL_MILLIS, conservationIntervalMillis);
        values.put(BATCH_LINES_MAX, batchLinesMax);
        values.put(BATCH_BODY_BYTES_MAX, batchBodyBytesMax);
        values.put(DECISION_LOG_BATCH_RECORDS_MAX, decisionLog.batchRecordsMax());
        values.put(LogRetention.RETENTION_MILLIS, logRetention.retentionMillis());
        values.put(LogRetention.PRUNE_INTERVAL_MILLIS, logRetention.pruneIntervalMillis());
        values.put(LogRetention.PRUNE_PAGE_TRANSACTIONS_MAX, logRetention.prunePageTransactionsMax());
        values.put(CONSOLE_RECENT_TRANSACTIONS_MAX, consoleRecentTransactionsMax);
        raft.ifPresent(cluster -> values.putAll(cluster.effective()));
        return values;
    }
}
