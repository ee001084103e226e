package io.clearhouse.cli;

import io.clearhouse.api.batch.BatchLine;
import io.clearhouse.core.CoordinatorCounters;
import io.clearhouse.core.CoordinatorException;
import io.clearhouse.core.batch.BatchExecution;
import io.clearhouse.core.batch.BatchOptions;
import io.clearhouse.core.batch.BatchResults;
import io.clearhouse.journal.JournalException;
import io.clearhouse.spi.BankException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code batch}: runs every line of a transactions file through two-phase commit against memory banks set up from an
 * initial state, and prints one JSON document with a result per line and the final balances. Nothing reaches
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

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--initial-state",
            required = true,
            paramLabel = "STATE.json",
            description = "Banks and their accounts' opening balances: {\"bank\": {\"account\": balance}}.")
    private Path initialState;

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
            names = "--stats",
            description = "Prints transfers per second, messages and forced writes per transfer on standard error.")
    private boolean stats;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        try {
            TransactionFileReading reading = TransactionFileReading.start(transactions);
            InitialState state = InitialStateReader.read(initialState);
            List<BatchLine> lines = reading.lines();
            DataDirectory directory =
                    dataDirectory == null ? null : DataDirectory.bind(dataDirectory, initialState, transactions);
            try (directory) {
                return execute(state, lines, directory, err);
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

    private int execute(InitialState state, List<BatchLine> lines, DataDirectory directory, PrintWriter err)
            throws IOException {
        int transfers = (int)
                lines.stream().filter(BatchLine.Transfer.class::isInstance).count();
        long startNanos = System.nanoTime();
        BatchResults results;
        Map<String, Map<String, Long>> finalState;
        CoordinatorCounters counters;
        try (BatchEngine engine = BatchEngine.open(state, directory, transfers)) {
            BatchExecution execution = new BatchExecution(lines, engine.coordinator(), BatchOptions.defaults());
            try (ProgressBar progress =
                    ProgressBar.startIfTerminal(err, execution::finishedLines, execution.totalLines())) {
                results = execution.run();
            }
            finalState = engine.postedBalances(state);
            counters = engine.coordinator().counters();
        }
        long elapsedNanos = System.nanoTime() - startNanos;
        ResultWriter.write(spec.commandLine().getOut(), results, finalState);
        if (stats) {
            err.println(BatchStatistics.describe(transfers, counters, elapsedNanos));
            err.flush();
        }
        return EXIT_OK;
    }
}
