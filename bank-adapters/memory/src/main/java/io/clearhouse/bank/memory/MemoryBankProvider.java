package io.clearhouse.bank.memory;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterProvider;
import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.BankException;
import java.nio.file.Path;

/**
 * Opens memory banks, type {@code memory}. Settings: {@code directory} (absent: a bank held purely in memory),
 * {@code fsync} ({@code true} or {@code false}, default true), {@code finished-xids-max} (default 100,000 with a
 * directory, 16 without), {@code compaction-records-min} (default 1,000) and {@code log-growth-bytes-max} (default
 * 256 MiB). Each bank opened here has a log file of
 * its own; banks that should share forced writes are opened through a {@link MemoryBankGroup} instead.
 */
public final class MemoryBankProvider implements BankAdapterProvider {
    public static final String TYPE = "memory";
    public static final String DIRECTORY = "directory";
    public static final String FSYNC = "fsync";
    public static final String FINISHED_XIDS_MAX = "finished-xids-max";
    public static final String COMPACTION_RECORDS_MIN = "compaction-records-min";
    public static final String LOG_GROWTH_BYTES_MAX = "log-growth-bytes-max";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public BankAdapter open(BankConfig config) {
        return MemoryBankAdapter.open(config.bankId(), config.initialBalances(), options(config));
    }

    static MemoryBankOptions options(BankConfig config) {
        MemoryBankOptions options = config.setting(DIRECTORY)
                .map(directory -> MemoryBankOptions.durable(Path.of(directory), fsync(config)))
                .orElseGet(MemoryBankOptions::inMemory);
        options = options.withFinishedXidsMax(positiveInteger(config, FINISHED_XIDS_MAX, options.finishedXidsMax()));
        options = options.withCompactionRecordsMin(
                positiveInteger(config, COMPACTION_RECORDS_MIN, MemoryBankOptions.COMPACTION_RECORDS_MIN_DEFAULT));
        return options.withLogGrowthBytesMax(
                positive(config, LOG_GROWTH_BYTES_MAX, MemoryBankOptions.LOG_GROWTH_BYTES_MAX_DEFAULT, Long.MAX_VALUE));
    }

    private static int positiveInteger(BankConfig config, String key, int defaultValue) {
        return (int) positive(config, key, defaultValue, Integer.MAX_VALUE);
    }

    private static long positive(BankConfig config, String key, long defaultValue, long max) {
        String text = config.setting(key).orElse(null);
        if (text == null) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            throw new BankException(config.bankId(), "setting " + key + " must be a positive integer: " + text, e);
        }
        throw new BankException(config.bankId(), "setting " + key + " must be a positive integer: " + text);
    }

    private static boolean fsync(BankConfig config) {
        String fsync = config.setting(FSYNC).orElse("true").trim();
        if (!fsync.equals("true") && !fsync.equals("false")) {
            throw new BankException(config.bankId(), "setting " + FSYNC + " must be true or false: " + fsync);
        }
        return Boolean.parseBoolean(fsync);
    }
}
