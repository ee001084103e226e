package io.clearhouse.bank.jdbc;

import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.BankException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The settings of a jdbc bank, from its entry in the banks file. Every refusal names the bank and the setting.
 *
 * @param url the JDBC URL of the bank's database, {@code jdbc:postgresql://HOST:PORT/DATABASE}
 * @param user the database user
 * @param password its password; empty when the server asks for none
 * @param schema the schema that holds the bank's tables, created if missing; {@code public} by default
 * @param mode {@code escrow} (default) or {@code xa}
 * @param connectionsMax the most connections the bank opens to its database; calls beyond wait for one
 * @param connectionWaitMillis how long a call waits for a free connection before it fails
 * @param lockTimeoutMillis PostgreSQL's {@code lock_timeout} on every connection: a call that waits longer for a row
 *     lock fails instead of waiting on, so that a wait cycle through other banks ends in an abort
 * @param statementTimeoutMillis PostgreSQL's {@code statement_timeout}, kept above the lock timeout
 * @param branchesPerTransactionMax the most branches of one message that share a database transaction; a larger
 *     message is cut into several transactions
 * @param postingsPerBranchMax the most postings one branch may carry
 * @param finishedRetentionSeconds how long finished branches are remembered, to answer late and repeated calls
 */
public record JdbcBankSettings(
        String url,
        String user,
        String password,
        String schema,
        JdbcBankMode mode,
        int connectionsMax,
        long connectionWaitMillis,
        long lockTimeoutMillis,
        long statementTimeoutMillis,
        int branchesPerTransactionMax,
        int postingsPerBranchMax,
        long finishedRetentionSeconds) {
    public static final String URL = "url";
    public static final String USER = "user";
    public static final String PASSWORD = "password";
    public static final String SCHEMA = "schema";
    public static final String MODE = "mode";
    public static final String CONNECTIONS_MAX = "connections-max";
    public static final String CONNECTION_WAIT_MILLIS = "connection-wait-millis";
    public static final String LOCK_TIMEOUT_MILLIS = "lock-timeout-millis";
    public static final String STATEMENT_TIMEOUT_MILLIS = "statement-timeout-millis";
    public static final String BRANCHES_PER_TRANSACTION_MAX = "branches-per-transaction-max";
    public static final String POSTINGS_PER_BRANCH_MAX = "postings-per-branch-max";
    public static final String FINISHED_RETENTION_SECONDS = "finished-retention-seconds";

    static final Set<String> KNOWN = Set.of(
            URL,
            USER,
            PASSWORD,
            SCHEMA,
            MODE,
            CONNECTIONS_MAX,
            CONNECTION_WAIT_MILLIS,
            LOCK_TIMEOUT_MILLIS,
            STATEMENT_TIMEOUT_MILLIS,
            BRANCHES_PER_TRANSACTION_MAX,
            POSTINGS_PER_BRANCH_MAX,
            FINISHED_RETENTION_SECONDS);

    static final String SCHEMA_DEFAULT = "public";
    static final int CONNECTIONS_MAX_DEFAULT = 8;
    static final long CONNECTION_WAIT_MILLIS_DEFAULT = 5_000;
    static final long LOCK_TIMEOUT_MILLIS_DEFAULT = 2_000;
    static final long STATEMENT_TIMEOUT_MILLIS_DEFAULT = 10_000;
    static final int BRANCHES_PER_TRANSACTION_MAX_DEFAULT = 256;
    static final int POSTINGS_PER_BRANCH_MAX_DEFAULT = 64;
    static final long FINISHED_RETENTION_SECONDS_DEFAULT = 3_600;
    static final int TEXT_LENGTH_MAX = 4_096;

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://[^/?\\s]+/[^?\\s]+(\\?\\S*)?");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** The settings of {@code config}, defaults filled in. */
    public static JdbcBankSettings of(BankConfig config) {
        refuseUnknown(config);
        long lockTimeoutMillis = positive(config, LOCK_TIMEOUT_MILLIS, LOCK_TIMEOUT_MILLIS_DEFAULT, 3_600_000);
        long statementTimeoutMillis =
                positive(config, STATEMENT_TIMEOUT_MILLIS, STATEMENT_TIMEOUT_MILLIS_DEFAULT, 3_600_000);
        if (statementTimeoutMillis <= lockTimeoutMillis) {
            // A statement cut by its own timeout while it waits for a lock reads as a slow bank, not as a lock wait.
            throw problem(
                    config,
                    STATEMENT_TIMEOUT_MILLIS,
                    "must be above " + LOCK_TIMEOUT_MILLIS + " (" + lockTimeoutMillis + "): " + statementTimeoutMillis);
        }
        return new JdbcBankSettings(
                url(config),
                text(config, USER, true),
                config.setting(PASSWORD)
                        .map(password -> limited(config, PASSWORD, password))
                        .orElse(""),
                schema(config),
                mode(config),
                (int) positive(config, CONNECTIONS_MAX, CONNECTIONS_MAX_DEFAULT, 1_024),
                positive(config, CONNECTION_WAIT_MILLIS, CONNECTION_WAIT_MILLIS_DEFAULT, 3_600_000),
                lockTimeoutMillis,
                statementTimeoutMillis,
                (int) positive(config, BRANCHES_PER_TRANSACTION_MAX, BRANCHES_PER_TRANSACTION_MAX_DEFAULT, 65_536),
                (int) positive(config, POSTINGS_PER_BRANCH_MAX, POSTINGS_PER_BRANCH_MAX_DEFAULT, 4_096),
                positive(config, FINISHED_RETENTION_SECONDS, FINISHED_RETENTION_SECONDS_DEFAULT, 31_536_000));
    }

    private static void refuseUnknown(BankConfig config) {
        Set<String> unknown = new TreeSet<>(config.settings().keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            throw new BankException(
                    config.bankId(),
                    "unknown setting " + String.join(", ", unknown) + " (known: " + new TreeSet<>(KNOWN) + ")");
        }
    }

    private static String url(BankConfig config) {
        String url = text(config, URL, true).trim();
        if (!JDBC_URL.matcher(url).matches()) {
            throw problem(config, URL, "must be jdbc:postgresql://HOST:PORT/DATABASE: " + url);
        }
        return url;
    }

    private static String schema(BankConfig config) {
        String schema = config.setting(SCHEMA).orElse(SCHEMA_DEFAULT).trim();
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw problem(config, SCHEMA, "must match " + IDENTIFIER.pattern() + ": " + schema);
        }
        if (schema.startsWith("pg_")) {
            throw problem(config, SCHEMA, "must not begin with pg_, which PostgreSQL keeps for its own: " + schema);
        }
        return schema;
    }

    private static JdbcBankMode mode(BankConfig config) {
        String text =
                config.setting(MODE).orElse(JdbcBankMode.ESCROW.settingValue()).trim();
        return JdbcBankMode.fromSetting(text)
                .orElseThrow(() -> problem(
                        config,
                        MODE,
                        "must be one of "
                                + Arrays.stream(JdbcBankMode.values())
                                        .map(JdbcBankMode::settingValue)
                                        .toList() + ": " + text));
    }

    private static String text(BankConfig config, String key, boolean required) {
        String text = config.setting(key).orElse("");
        if (required && text.isBlank()) {
            throw problem(config, key, "is required");
        }
        return limited(config, key, text);
    }

    private static String limited(BankConfig config, String key, String text) {
        if (text.length() > TEXT_LENGTH_MAX) {
            throw problem(config, key, "must have at most " + TEXT_LENGTH_MAX + " characters");
        }
        return text;
    }

    private static long positive(BankConfig config, String key, long defaultValue, long max) {
        return config.integerSetting(key, defaultValue, 1, max);
    }

    private static BankException problem(BankConfig config, String key, String text) {
        return new BankException(config.bankId(), "setting " + key + " " + text);
    }

    /** The settings as the bank logs them at open: every limit in effect, never the password. */
    Map<String, String> describe() {
        return Map.ofEntries(
                Map.entry(URL, url),
                Map.entry(USER, user),
                Map.entry(SCHEMA, schema),
                Map.entry(MODE, mode.settingValue()),
                Map.entry(CONNECTIONS_MAX, String.valueOf(connectionsMax)),
                Map.entry(CONNECTION_WAIT_MILLIS, String.valueOf(connectionWaitMillis)),
                Map.entry(LOCK_TIMEOUT_MILLIS, String.valueOf(lockTimeoutMillis)),
                Map.entry(STATEMENT_TIMEOUT_MILLIS, String.valueOf(statementTimeoutMillis)),
                Map.entry(BRANCHES_PER_TRANSACTION_MAX, String.valueOf(branchesPerTransactionMax)),
                Map.entry(POSTINGS_PER_BRANCH_MAX, String.valueOf(postingsPerBranchMax)),
                Map.entry(FINISHED_RETENTION_SECONDS, String.valueOf(finishedRetentionSeconds)));
    }

    @Override
    public String toString() {
        return "JdbcBankSettings" + new TreeMap<>(describe());
    }
}
