package io.clearhouse.cli;

import io.clearhouse.api.batch.BatchLine;
import io.clearhouse.banks.ConfiguredBank;
import io.clearhouse.core.CoordinatorCounters;
import io.clearhouse.core.CoordinatorException;
import io.clearhouse.core.batch.BatchExecution;
import io.clearhouse.core.batch.BatchOptions;
import io.clearhouse.core.batch.BatchResults;
import io.clearhouse.core.log.LogRetention;
import io.clearhouse.journal.JournalException;
import io.clearhouse.spi.BankException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code batch}: runs every line of a transactions file through two-phase commit against memory banks set up from an
 * initial state, or against the banks of a banks file (any adapter type, bank servers included), and prints one JSON document with a result per line and the final balances. Nothing reaches
 * standard output unless the whole batch ran; input files that cannot be used end with exit code 2 and one line on
 * standard error.
 */
@Command(
        name = "batch",
        mixinStandardHelpOptions = true,
        description = "Executes a transactions file as if serially, in parallel, and prints the results as JSON.")
final class BatchCommand implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_INPUT = 2;
    static final String BANKS_FILE_ROLE = "banks file";
    /**
     * Keep everything: a data directory belongs to one batch, so its log grows only by a marker per run once the batch
     * has run, and a re-run of a finished batch after a retention would apply every line again.
     */
    static final long LOG_RETENTION_HOURS_DEFAULT = 0;
    /** Ten years: a longer window is a mistake in the number, and keeping everything is 0. */
    static final long LOG_RETENTION_HOURS_MAX = 87_600;

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private BankSource banks;

    /** Exactly one of the two places the banks come from. */
    static final class BankSource {
        @Option(
                names = "--initial-state",
                required = true,
                paramLabel = "STATE.json",
                description = "Memory banks and their accounts' opening balances: {\"bank\": {\"account\": balance}}.")
        Path initialState;

        @Option(
                names = "--banks-file",
                required = true,
                paramLabel = "BANKS.json",
                description = "The banks to run against, of any adapter type: {\"banks\": [{\"id\", \"type\","
                        + " \"settings\", \"accounts\"}]}.")
        Path banksFile;
    }

    @Option(
            names = "--transactions",
            required = true,
            paramLabel = "TX.csv",
            description = "One transfer per line: transaction_id,source_account,destination_account,amount.")
    private Path transactions;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Makes the run durable; a run restarted on DIR after a crash finishes the same batch.")
    private Path dataDirectory;

    @Option(
            names = "--log-retention-hours",
            defaultValue = "" + LOG_RETENTION_HOURS_DEFAULT,
            paramLabel = "HOURS",
            description = "With --data-dir: how long the decision log remembers a finished transaction, so that a"
                    + " re-run answers its id with the first outcome; older ids count as new and run again. 0.."
                    + LOG_RETENTION_HOURS_MAX + ", 0 keeps everything (default: ${DEFAULT-VALUE}).")
    private long logRetentionHours;

    @Option(
            names = "--stats",
            description = "Prints transfers per second, messages and forced writes per transfer on standard error,"
                    + " the last line a JSON object.")
    private boolean stats;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        try {
            LogRetention retention = logRetention();
            TransactionFileReading reading = TransactionFileReading.start(transactions);
            if (banks.banksFile != null) {
                List<ConfiguredBank> configured = InputFiles.readBanksFile(banks.banksFile);
                List<BatchLine> lines = reading.lines();
                try (DataDirectory directory = bindDataDirectory(banks.banksFile, BANKS_FILE_ROLE)) {
                    return execute(lines, err, transfers -> openBanksFile(configured, directory, retention, transfers));
                }
            }
            InitialState state = InitialStateReader.read(banks.initialState);
            List<BatchLine> lines = reading.lines();
            try (DataDirectory directory = bindDataDirectory(banks.initialState, InitialStateReader.ROLE)) {
                return execute(lines, err, transfers -> BatchEngine.open(state, directory, retention, transfers));
            }
        } catch (InputFileException e) {
            err.println("clearhouse batch: " + e.getMessage());
            err.flush();
            return EXIT_BAD_INPUT;
        } catch (CoordinatorException | BankException | JournalException e) {
            err.println("clearhouse batch: the batch could not finish: " + e.getMessage());
            err.flush();
            return EXIT_FAILED;
        }
    }

    private LogRetention logRetention() throws InputFileException {
        if (logRetentionHours < 0 || logRetentionHours > LOG_RETENTION_HOURS_MAX) {
            throw new InputFileException(
                    "option",
                    Path.of("--log-retention-hours"),
                    "must be in 0.." + LOG_RETENTION_HOURS_MAX + ", not " + logRetentionHours);
        }
        return LogRetention.ofMillis(Duration.ofHours(logRetentionHours).toMillis());
    }

    private DataDirectory bindDataDirectory(Path banksInput, String banksRole) throws InputFileException {
        return dataDirectory == null ? null : DataDirectory.bind(dataDirectory, banksInput, banksRole, transactions);
    }

    /**
     * The banks of a banks file are checked when they open: an adapter type that no provider has, or an account in two
     * banks, is a banks file that cannot be used.
     */
    private BatchEngine openBanksFile(
            List<ConfiguredBank> configured, DataDirectory directory, LogRetention retention, int transfers)
            throws InputFileException {
        try {
            return BatchEngine.open(configured, directory, retention, transfers);
        } catch (IllegalArgumentException e) {
            throw new InputFileException(BANKS_FILE_ROLE, banks.banksFile, e.getMessage(), e);
        }
    }

    /** Opens the engine for a given number of transfers. */
    private interface EngineOpening {
        BatchEngine open(int transfers) throws InputFileException;
    }

    private int execute(List<BatchLine> lines, PrintWriter err, EngineOpening opening)
            throws IOException, InputFileException {
        int transfers = (int)
                lines.stream().filter(BatchLine.Transfer.class::isInstance).count();
        long startNanos = System.nanoTime();
        BatchResults results;
        Map<String, Map<String, Long>> finalState;
        CoordinatorCounters counters;
        try (BatchEngine engine = opening.open(transfers)) {
            BatchExecution execution = new BatchExecution(lines, engine.coordinator(), BatchOptions.defaults());
            try (ProgressBar progress =
                    ProgressBar.startIfTerminal(err, execution::finishedLines, execution.totalLines())) {
                results = execution.run();
            }
            finalState = engine.postedBalances();
            counters = engine.coordinator().counters();
        }
        long elapsedNanos = System.nanoTime() - startNanos;
        ResultWriter.write(spec.commandLine().getOut(), results, finalState);
        if (stats) {
            err.println(BatchStatistics.describe(transfers, counters, elapsedNanos));
            err.println(BatchStatistics.json(
                    lines.size(), transfers, counters, elapsedNanos, ProcessAllocation.totalBytes()));
            err.flush();
        }
        return EXIT_OK;
    }
}
