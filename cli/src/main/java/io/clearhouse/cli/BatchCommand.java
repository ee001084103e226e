package io.clearhouse.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code batch}: runs every line of a transactions file through two-phase commit against memory banks set up from an
 * initial state, or against the banks of a banks file (any adapter type, bank servers included), and prints one JSON
 * document with a result per line and the final balances ({@link BatchRun}). Nothing reaches standard output unless
 * the whole batch ran; input files that cannot be used end with exit code 2 and one line on standard error. This class
 * is the command line's definition for picocli: its help, and its errors; a plain command line is read without it
 * ({@link PlainBatchArguments}).
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
    static final String INITIAL_STATE = "--initial-state";
    static final String BANKS_FILE = "--banks-file";
    static final String TRANSACTIONS = "--transactions";
    static final String DATA_DIR = "--data-dir";
    static final String LOG_RETENTION_HOURS = "--log-retention-hours";
    static final String STATS = "--stats";
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
                names = INITIAL_STATE,
                required = true,
                paramLabel = "STATE.json",
                description = "Memory banks and their accounts' opening balances: {\"bank\": {\"account\": balance}}.")
        Path initialState;

        @Option(
                names = BANKS_FILE,
                required = true,
                paramLabel = "BANKS.json",
                description = "The banks to run against, of any adapter type: {\"banks\": [{\"id\", \"type\","
                        + " \"settings\", \"accounts\"}]}.")
        Path banksFile;
    }

    @Option(
            names = TRANSACTIONS,
            required = true,
            paramLabel = "TX.csv",
            description = "One transfer per line: transaction_id,source_account,destination_account,amount.")
    private Path transactions;

    @Option(
            names = DATA_DIR,
            paramLabel = "DIR",
            description = "Makes the run durable; a run restarted on DIR after a crash finishes the same batch.")
    private Path dataDirectory;

    @Option(
            names = LOG_RETENTION_HOURS,
            defaultValue = "" + LOG_RETENTION_HOURS_DEFAULT,
            paramLabel = "HOURS",
            description = "With --data-dir: how long the decision log remembers a finished transaction, so that a"
                    + " re-run answers its id with the first outcome; older ids count as new and run again. 0.."
                    + LOG_RETENTION_HOURS_MAX + ", 0 keeps everything (default: ${DEFAULT-VALUE}).")
    private long logRetentionHours;

    @Option(
            names = STATS,
            description = "Prints transfers per second, messages and forced writes per transfer on standard error,"
                    + " the last line a JSON object.")
    private boolean stats;

    @Override
    public Integer call() throws IOException {
        return BatchRun.run(
                request(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** What the parsed options ask for. */
    BatchRequest request() {
        return new BatchRequest(
                banks.initialState, banks.banksFile, transactions, dataDirectory, logRetentionHours, stats);
    }
}
