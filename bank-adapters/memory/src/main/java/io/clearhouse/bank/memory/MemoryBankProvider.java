package io.clearhouse.bank.memory;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterProvider;
import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.BankException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Opens memory banks, type {@code memory}. Settings: {@code directory} (absent: a bank held purely in memory), {@code
 * fsync} ({@code true} or {@code false}, default true), {@code finished-xids-max} (default 100,000 with a directory, 16
 * without), {@code finished-xids-retention-seconds} (default 60), {@code compaction-records-min} (default 1,000),
 * {@code log-growth-bytes-max} (default 256 MiB), {@code log-record-bytes-max} (default 64 MiB) and {@code
 * log-group-records-max} (default 8,192), each described by {@link MemoryBankOptions}, {@code group} (a directory:
 * every bank of this provider that names the same one shares one write-ahead log there, {@link MemoryBankGroup}, so
 * their concurrent prepares share forced writes; it takes the place of {@code directory}). Without {@code group}, each
 * durable bank has a log file of its own. {@code phase-two-durable} ({@code true} or {@code false}, default false; with
 * {@code directory} or {@code group} only): a commit or rollback is acknowledged only once its record is forced, so
 * that an acknowledged commit survives a crash ({@link MemoryBankOptions#phaseTwoDurable()}); like {@code fsync}, a
 * group takes it from the bank that opens the group.
 */
public final class MemoryBankProvider implements BankAdapterProvider {
    public static final String TYPE = "memory";
    public static final String DIRECTORY = "directory";
    public static final String FSYNC = "fsync";
    public static final String FINISHED_XIDS_MAX = "finished-xids-max";
    public static final String FINISHED_XIDS_RETENTION_SECONDS = "finished-xids-retention-seconds";
    public static final String COMPACTION_RECORDS_MIN = "compaction-records-min";
    public static final String LOG_GROWTH_BYTES_MAX = "log-growth-bytes-max";
    public static final String LOG_RECORD_BYTES_MAX = "log-record-bytes-max";
    public static final String LOG_GROUP_RECORDS_MAX = "log-group-records-max";
    public static final String GROUP = "group";
    public static final String PHASE_TWO_DURABLE = "phase-two-durable";

    private final Map<Path, MemoryBankGroup> groups = new HashMap<>();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public BankAdapter open(BankConfig config) {
        Optional<String> group = config.setting(GROUP);
        if (group.isPresent()) {
            return openInGroup(Path.of(group.get()).toAbsolutePath().normalize(), config);
        }
        return MemoryBankAdapter.open(config.bankId(), config.initialBalances(), options(config));
    }

    /**
     * Opens the bank in the group of {@code directory}, opening the group first when no bank of this provider holds
     * it open; the group's file closes with the last of its banks.
     */
    private synchronized BankAdapter openInGroup(Path directory, BankConfig config) {
        if (config.setting(DIRECTORY).isPresent()) {
            throw new BankException(config.bankId(), "settings " + DIRECTORY + " and " + GROUP + " exclude each other");
        }
        MemoryBankGroup group = groups.get(directory);
        if (group == null || group.isClosed()) {
            group = MemoryBankGroup.open(options(config, MemoryBankOptions.durable(directory, fsync(config))));
            groups.put(directory, group);
        }
        return group.bank(config.bankId(), config.initialBalances());
    }

    static MemoryBankOptions options(BankConfig config) {
        return options(
                config,
                config.setting(DIRECTORY)
                        .map(directory -> MemoryBankOptions.durable(Path.of(directory), fsync(config)))
                        .orElseGet(MemoryBankOptions::inMemory));
    }

    private static MemoryBankOptions options(BankConfig config, MemoryBankOptions base) {
        MemoryBankOptions options = base;
        options = options.withFinishedXidsMax(positiveInteger(config, FINISHED_XIDS_MAX, options.finishedXidsMax()));
        options = options.withFinishedXidsRetentionMillis(1_000
                * positive(
                        config,
                        FINISHED_XIDS_RETENTION_SECONDS,
                        MemoryBankOptions.FINISHED_XIDS_RETENTION_MILLIS_DEFAULT / 1_000,
                        Long.MAX_VALUE / 1_000));
        options = options.withCompactionRecordsMin(
                positiveInteger(config, COMPACTION_RECORDS_MIN, MemoryBankOptions.COMPACTION_RECORDS_MIN_DEFAULT));
        options = options.withLogGrowthBytesMax(
                positive(config, LOG_GROWTH_BYTES_MAX, MemoryBankOptions.LOG_GROWTH_BYTES_MAX_DEFAULT, Long.MAX_VALUE));
        options = options.withLogRecordBytesMax((int) config.integerSetting(
                LOG_RECORD_BYTES_MAX,
                MemoryBankOptions.LOG_RECORD_BYTES_MAX_DEFAULT,
                MemoryBankOptions.LOG_RECORD_BYTES_MIN,
                MemoryBankOptions.LOG_RECORD_BYTES_LIMIT));
        options = options.withLogGroupRecordsMax(
                positiveInteger(config, LOG_GROUP_RECORDS_MAX, MemoryBankOptions.LOG_GROUP_RECORDS_MAX_DEFAULT));
        boolean phaseTwoDurable = bool(config, PHASE_TWO_DURABLE, false);
        if (phaseTwoDurable && options.directory().isEmpty()) {
            throw new BankException(
                    config.bankId(),
                    "setting " + PHASE_TWO_DURABLE + " needs " + DIRECTORY + " or " + GROUP
                            + ": a bank held in memory has no log");
        }
        return options.withPhaseTwoDurable(phaseTwoDurable);
    }

    private static int positiveInteger(BankConfig config, String key, int defaultValue) {
        return (int) positive(config, key, defaultValue, Integer.MAX_VALUE);
    }

    private static long positive(BankConfig config, String key, long defaultValue, long max) {
        return config.integerSetting(key, defaultValue, 1, max);
    }

    private static boolean fsync(BankConfig config) {
        return bool(config, FSYNC, true);
    }

    private static boolean bool(BankConfig config, String key, boolean defaultValue) {
        String text = config.setting(key).orElse(String.valueOf(defaultValue)).trim();
        if (!text.equals("true") && !text.equals("false")) {
            throw new BankException(config.bankId(), "setting " + key + " must be true or false: " + text);
        }
        return Boolean.parseBoolean(text);
    }
}
