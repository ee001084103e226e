package io.clearhouse.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a plain {@code batch} command line without picocli. picocli builds its model of a command from annotations by
 * reflection before it parses a word, some 80 ms of every batch's start on two cores (docs/benchmarks.md section 26),
 * more than a batch of a few thousand lines takes to run. A plain line is {@code batch} and then each of {@value
 * BatchCommand#TRANSACTIONS} and exactly one of {@value BatchCommand#INITIAL_STATE} or {@value
 * BatchCommand#BANKS_FILE}, optionally {@value BatchCommand#DATA_DIR}, {@value BatchCommand#LOG_RETENTION_HOURS} in
 * decimal digits and {@value BatchCommand#STATS}, each at most once, in any order, a value after its option or after
 * {@code =}. Anything else (help, version, a mistake, an {@code @}-file, a value that starts with a dash or a quote, or
 * is empty) is left to picocli, which gives it the meaning or the error it always had; so a line read here means what
 * picocli would read in it (PlainBatchArgumentsTest holds the two to that).
 */
final class PlainBatchArguments {
    /** Longer and the number may not fit a long; picocli then says so. */
    private static final int HOURS_DIGITS_MAX = 18;

    private static final Set<String> PATH_OPTIONS = Set.of(
            BatchCommand.INITIAL_STATE, BatchCommand.BANKS_FILE, BatchCommand.TRANSACTIONS, BatchCommand.DATA_DIR);

    /** The value of each path option given, by the option's name. */
    private final Map<String, Path> paths = new HashMap<>();

    private Long logRetentionHours;
    private boolean stats;

    private PlainBatchArguments() {}

    /** What {@code args} asks for if it is a plain batch command line, or {@code null} for picocli to read. */
    static BatchRequest read(String... args) {
        if (args.length == 0 || !args[0].equals("batch")) {
            return null;
        }
        PlainBatchArguments read = new PlainBatchArguments();
        for (int i = 1; i < args.length; i++) {
            String word = args[i];
            int equals = word.indexOf('=');
            String option = equals < 0 ? word : word.substring(0, equals);
            if (option.equals(BatchCommand.STATS)) {
                if (equals >= 0 || read.stats) {
                    return null;
                }
                read.stats = true;
                continue;
            }
            String value;
            if (equals >= 0) {
                value = word.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return null;
            }
            if (!read.take(option, value)) {
                return null;
            }
        }
        return read.request();
    }

    private boolean take(String option, String value) {
        if (value.isEmpty() || "-@\"'".indexOf(value.charAt(0)) >= 0 || value.endsWith("\"") || value.endsWith("'")) {
            return false;
        }
        if (option.equals(BatchCommand.LOG_RETENTION_HOURS)) {
            if (logRetentionHours != null || !decimalDigits(value)) {
                return false;
            }
            logRetentionHours = Long.parseLong(value);
            return true;
        }
        if (!PATH_OPTIONS.contains(option)) {
            return false;
        }
        try {
            return paths.putIfAbsent(option, Path.of(value)) == null;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static boolean decimalDigits(String value) {
        if (value.length() > HOURS_DIGITS_MAX) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private BatchRequest request() {
        Path initialState = paths.get(BatchCommand.INITIAL_STATE);
        Path banksFile = paths.get(BatchCommand.BANKS_FILE);
        Path transactions = paths.get(BatchCommand.TRANSACTIONS);
        if (transactions == null || (initialState == null) == (banksFile == null)) {
            return null;
        }
        long hours = logRetentionHours == null ? BatchCommand.LOG_RETENTION_HOURS_DEFAULT : logRetentionHours;
        return new BatchRequest(initialState, banksFile, transactions, paths.get(BatchCommand.DATA_DIR), hours, stats);
    }
}
