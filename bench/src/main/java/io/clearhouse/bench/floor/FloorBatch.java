package io.clearhouse.bench.floor;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code FloorBatch --initial-state STATE.json --transactions TX.csv [--stats]}: the floor of {@code clearhouse batch}
 * (package javadoc). Standard output is byte for byte the command's for every input the command accepts; an input it
 * cannot use ends with exit code 2 and one line on standard error. {@code --stats} prints on standard error the
 * command's JSON figures that have a meaning without banks: lines, transfers, committed, aborted, wall_seconds (the
 * whole run, reading both files included) and allocated_bytes_per_line.
 */
public final class FloorBatch {
    private static final int EXIT_BAD_INPUT = 2;
    private static final String USAGE = "usage: FloorBatch --initial-state STATE.json --transactions TX.csv [--stats]";

    private FloorBatch() {}

    public static void main(String[] args) throws IOException {
        long startNanos = System.nanoTime();
        Path state = null;
        Path transactions = null;
        boolean stats = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--initial-state" -> state = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--transactions" -> transactions = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--stats" -> stats = true;
                default -> refuse(USAGE + " (unknown argument " + args[i] + ")");
            }
        }
        if (state == null || transactions == null) {
            refuse(USAGE);
        }
        try {
            BatchRun run = run(state, transactions);
            if (stats) {
                System.err.println(statistics(run, System.nanoTime() - startNanos));
            }
        } catch (UnusableInputException e) {
            refuse(e.getMessage());
        }
    }

    /** Reads both files before printing anything, so that an input that cannot be used leaves standard output empty. */
    private static BatchRun run(Path state, Path transactions) throws UnusableInputException, IOException {
        Ledger ledger = StateFileReader.read(state);
        TransactionFile file = TransactionFile.read(transactions);
        BatchRun run = new BatchRun(ledger, new ResultDocument(new FileOutputStream(FileDescriptor.out)));
        file.forEachLine(new LineRules(run));
        run.finish();
        return run;
    }

    private static String statistics(BatchRun run, long elapsedNanos) {
        long lines = Math.max(run.lines(), 1);
        long allocated = ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                ? threads.getTotalThreadAllocatedBytes()
                : -1;
        return String.format(
                Locale.ROOT,
                "{\"lines\":%d,\"transfers\":%d,\"committed\":%d,\"aborted\":%d,\"wall_seconds\":%.6f,"
                        + "\"allocated_bytes_per_line\":%s}",
                run.lines(),
                run.transfers(),
                run.committed(),
                run.transfers() - run.committed(),
                elapsedNanos / 1e9,
                allocated < 0 ? "null" : String.format(Locale.ROOT, "%.1f", allocated / (double) lines));
    }

    private static void refuse(String message) {
        System.err.println("floor: " + message);
        System.exit(EXIT_BAD_INPUT);
    }
}
