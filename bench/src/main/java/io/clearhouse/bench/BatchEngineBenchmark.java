package io.clearhouse.bench;

import io.clearhouse.api.Status;
import io.clearhouse.api.batch.BatchFileParser;
import io.clearhouse.api.batch.BatchLine;
import io.clearhouse.core.CoordinatorCounters;
import io.clearhouse.core.batch.BatchExecution;
import io.clearhouse.core.batch.BatchOptions;
import io.clearhouse.core.batch.BatchResults;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The batch engine alone, inside one JVM: the transactions file is parsed, in-memory banks and a coordinator are
 * opened from the state file, and {@link BatchExecution} runs every line through two-phase commit. Each phase is
 * timed on its own and every iteration starts from fresh banks. The first iteration runs on a cold JVM, as the
 * command does; later ones show the engine once the JIT compiler has done its work.
 *
 * <p>Each iteration also prints the bytes allocated per line while parsing and while executing. Unlike the times, they
 * do not move with the machine's load, and on a virtual machine that returns freed memory to its host, every fresh
 * page the heap touches costs a page fault, so they are a cost in time too (docs/benchmarks.md section 11).
 */
public final class BatchEngineBenchmark {
    static final Map<String, String> DEFAULTS = Arguments.defaults(
            "banks", "1000",
            "accounts-per-bank", "10",
            "transfers", "500000",
            "seed", "42",
            "iterations", "5",
            "worker-threads", "0",
            "in-flight-max", "4096",
            "dir", "target/bench-data");

    private BatchEngineBenchmark() {}

    public static void main(String[] args) throws IOException {
        Arguments arguments = Arguments.parse(args, DEFAULTS);
        System.out.println("batch engine: " + arguments.describe());
        System.out.println(Machine.describe());
        GeneratorSettings settings = new GeneratorSettings(
                arguments.integer("banks"),
                arguments.integer("accounts-per-bank"),
                arguments.integer("transfers"),
                100_000,
                1_000,
                5,
                0,
                0,
                arguments.longInteger("seed"));
        String name = "batch-" + settings.transfers() + "x" + settings.banks();
        GeneratedInput input =
                BatchInputGenerator.generate(settings, arguments.path("dir").resolve(name));
        BatchState state = BatchState.read(input.state());
        BatchOptions options = batchOptions(arguments);
        int iterations = arguments.integer("iterations");
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations must be at least 1: " + iterations);
        }
        double[] executeMillis = new double[iterations];
        for (int i = 0; i < executeMillis.length; i++) {
            executeMillis[i] = runOnce(i + 1, input, state, options);
        }
        summarise(input.lines(), executeMillis);
    }

    private static BatchOptions batchOptions(Arguments arguments) {
        BatchOptions options = BatchOptions.defaults().withInFlightMax(arguments.integer("in-flight-max"));
        int workers = arguments.integer("worker-threads");
        return workers > 0 ? options.withWorkerThreads(workers) : options;
    }

    /** Runs one iteration, prints its phases and returns the execution time in milliseconds. */
    private static double runOnce(int iteration, GeneratedInput input, BatchState state, BatchOptions options)
            throws IOException {
        long start = System.nanoTime();
        long startBytes = allocatedBytes();
        List<BatchLine> lines;
        try (BufferedReader reader = Files.newBufferedReader(input.transactions(), StandardCharsets.UTF_8)) {
            lines = BatchFileParser.parse(reader);
        }
        long parsed = System.nanoTime();
        long parsedBytes = allocatedBytes();
        try (InMemoryEngine engine = InMemoryEngine.open(state, lines.size())) {
            long opened = System.nanoTime();
            long openedBytes = allocatedBytes();
            BatchResults results = new BatchExecution(lines, engine.coordinator(), options).run();
            long executed = System.nanoTime();
            long executedBytes = allocatedBytes();
            engine.checkMoneyConserved(input.totalMoney());
            CoordinatorCounters counters = engine.coordinator().counters();
            double executeMillis = (executed - opened) / 1e6;
            System.out.printf(
                    "iteration %d%s: parse %.0f ms, open %.0f ms, execute %.0f ms = %,.0f lines/s executing,"
                            + " %,.0f lines/s parse+open+execute; %,d committed, %.2f messages per transaction;"
                            + " allocated per line: parse %,d bytes, execute %,d bytes%n",
                    iteration,
                    iteration == 1 ? " (cold JVM)" : "",
                    (parsed - start) / 1e6,
                    (opened - parsed) / 1e6,
                    executeMillis,
                    lines.size() / (executeMillis / 1000),
                    lines.size() / ((executed - start) / 1e9),
                    committed(results),
                    (double) counters.messages() / Math.max(1, counters.transactions()),
                    (parsedBytes - startBytes) / lines.size(),
                    (executedBytes - openedBytes) / lines.size());
            return executeMillis;
        }
    }

    /** Bytes allocated on the heap by every thread so far, those that have ended included. */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    private static long committed(BatchResults results) {
        long committed = 0;
        for (int i = 0; i < results.size(); i++) {
            if (results.status(i) == Status.COMMITTED) {
                committed++;
            }
        }
        return committed;
    }

    /** The cold first iteration alone, then the median and best of the warm ones, in lines per second. */
    private static void summarise(int lines, double[] executeMillis) {
        double[] warm = Arrays.copyOfRange(executeMillis, 1, executeMillis.length);
        Arrays.sort(warm);
        String warmFigures = warm.length == 0
                ? "no warm iterations"
                : String.format(
                        "warm median %,.0f, best %,.0f",
                        lines / (warm[warm.length / 2] / 1000), lines / (warm[0] / 1000));
        System.out.printf(
                "summary: %,d lines executed; cold %,.0f lines/s; %s lines/s%n",
                lines, lines / (executeMillis[0] / 1000), warmFigures);
    }
}
