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

/**
 * One run of {@code batch}: reads the input files, opens the banks, runs every line through two-phase commit and prints
 * one JSON document with a result per line and the final balances. Nothing reaches standard output unless the whole
 * batch ran.
 */
final class BatchRun {
    private final BatchRequest request;
    private final PrintWriter out;
    private final PrintWriter err;

    /**
     * Runs the batch {@code request} asks for, printing its results to {@code out}; returns the exit code. Unusable
     * input is one line on {@code err} and {@link BatchCommand#EXIT_BAD_INPUT}; a batch the banks or the logs could
     * not finish is one line and {@link BatchCommand#EXIT_FAILED}.
     *
     * @throws IOException when standard output cannot be written
     */
    static int run(BatchRequest request, PrintWriter out, PrintWriter err) throws IOException {
        return new BatchRun(request, out, err).run();
    }

    private BatchRun(BatchRequest request, PrintWriter out, PrintWriter err) {
        this.request = request;
        this.out = out;
        this.err = err;
    }

    private int run() throws IOException {
        try {
            LogRetention retention = logRetention();
            TransactionFileReading reading = TransactionFileReading.start(request.transactions());
            if (request.banksFile() != null) {
                List<ConfiguredBank> configured = InputFiles.readBanksFile(request.banksFile());
                List<BatchLine> lines = reading.lines();
                try (DataDirectory directory = bindDataDirectory(request.banksFile(), BatchCommand.BANKS_FILE_ROLE)) {
                    return execute(lines, transfers -> openBanksFile(configured, directory, retention, transfers));
                }
            }
            InitialState state = InitialStateReader.read(request.initialState());
            List<BatchLine> lines = reading.lines();
            try (DataDirectory directory = bindDataDirectory(request.initialState(), InitialStateReader.ROLE)) {
                return execute(lines, transfers -> BatchEngine.open(state, directory, retention, transfers));
            }
        } catch (InputFileException e) {
            err.println("clearhouse batch: " + e.getMessage());
            err.flush();
            return BatchCommand.EXIT_BAD_INPUT;
        } catch (CoordinatorException | BankException | JournalException e) {
            err.println("clearhouse batch: the batch could not finish: " + e.getMessage());
            err.flush();
            return BatchCommand.EXIT_FAILED;
        }
    }

    private LogRetention logRetention() throws InputFileException {
        long logRetentionHours = request.logRetentionHours();
        if (logRetentionHours < 0 || logRetentionHours > BatchCommand.LOG_RETENTION_HOURS_MAX) {
            throw new InputFileException(
                    "option",
                    Path.of("--log-retention-hours"),
                    "must be in 0.." + BatchCommand.LOG_RETENTION_HOURS_MAX + ", not " + logRetentionHours);
        }
        return LogRetention.ofMillis(Duration.ofHours(logRetentionHours).toMillis());
    }

    private DataDirectory bindDataDirectory(Path banksInput, String banksRole) throws InputFileException {
        return request.dataDirectory() == null
                ? null
                : DataDirectory.bind(request.dataDirectory(), banksInput, banksRole, request.transactions());
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
            throw new InputFileException(BatchCommand.BANKS_FILE_ROLE, request.banksFile(), e.getMessage(), e);
        }
    }

    /** Opens the engine for a given number of transfers. */
    private interface EngineOpening {
        BatchEngine open(int transfers) throws InputFileException;
    }

    private int execute(List<BatchLine> lines, EngineOpening opening) throws IOException, InputFileException {
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
        ResultWriter.write(out, results, finalState);
        if (request.stats()) {
            err.println(BatchStatistics.describe(transfers, counters, elapsedNanos));
            err.println(BatchStatistics.json(
                    lines.size(), transfers, counters, elapsedNanos, ProcessAllocation.totalBytes()));
            err.flush();
        }
        return BatchCommand.EXIT_OK;
    }
}
