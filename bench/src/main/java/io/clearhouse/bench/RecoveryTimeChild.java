package io.clearhouse.bench;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.engine.CoordinatorOptions;
import io.clearhouse.core.recovery.RecoveryReport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process {@link RecoveryTimeBenchmark} kills and restarts, in one of two modes. {@code load} opens a {@link
 * DurableDirectory} and keeps {@code --clients} asynchronous clients submitting transfers until it is killed,
 * writing each outcome it tells to {@value #TOLD_FILE} and printing {@code in-flight N told M} every {@code
 * --report-millis}. {@code recover} opens the same directory, which replays the logs and recovers, and prints {@code
 * ready key=value...}: the wall time from the JVM's start to a coordinator that accepts transfers, the CPU time used
 * by then, each step's time and what recovery found; then it makes one transfer, checks that every outcome the killed
 * process told is still the recorded one, closes the coordinator and checks that money was conserved and nothing is
 * left prepared, and prints {@code checked key=value...}, or fails with exit code 1 naming what does not hold.
 *
 * <p>Either mode ends when its standard input does, so that a child whose benchmark died does not run on.
 */
public final class RecoveryTimeChild {
    static final String TOLD_FILE = "told-outcomes.txt";
    static final Map<String, String> DEFAULTS = Arguments.defaults(
            "dir", "target/bench-data/recovery-time",
            "banks", "32",
            "accounts-per-bank", "1000",
            "balance", "1000000000000",
            "amount-max", "100",
            "clients", "11000",
            "engine-threads", "256",
            "outcomes-in-memory-max", "100000",
            "report-millis", "20",
            "outcome-timeout-millis", "30000",
            "seed", "42");

    private RecoveryTimeChild() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !List.of("load", "recover").contains(args[0])) {
            System.err.println("usage: RecoveryTimeChild load|recover [--name value ...]");
            System.exit(2);
        }
        Arguments arguments =
                Arguments.parse(List.of(args).subList(1, args.length).toArray(String[]::new), DEFAULTS);
        endWithStandardInput();
        try {
            if (args[0].equals("load")) {
                load(arguments);
            } else {
                recover(arguments);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void endWithStandardInput() {
        Thread watcher = new Thread(
                () -> {
                    try {
                        while (System.in.read() >= 0) {
                            // Nothing is sent; the stream only ends.
                        }
                    } catch (IOException e) {
                        // A broken stream ends the process as its end does.
                    }
                    Runtime.getRuntime().halt(3);
                },
                "standard-input-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static DurableDirectory open(Arguments arguments) {
        int clients = arguments.integer("clients");
        CoordinatorOptions options = CoordinatorOptions.defaults()
                .withThreads(arguments.integer("engine-threads"))
                .withFinishedOutcomesInMemoryMax(arguments.integer("outcomes-in-memory-max"))
                .withInFlightMax(Math.max(CoordinatorOptions.defaults().inFlightMax(), 2 * clients));
        return DurableDirectory.open(
                arguments.path("dir"),
                arguments.integer("banks"),
                arguments.integer("accounts-per-bank"),
                arguments.longInteger("balance"),
                options);
    }

    private static void load(Arguments arguments) throws IOException, InterruptedException {
        Files.createDirectories(arguments.path("dir"));
        DurableDirectory directory = open(arguments);
        ToldOutcomes told = ToldOutcomes.create(arguments.path("dir").resolve(TOLD_FILE));
        Clients clients = new Clients(directory.coordinator(), told);
        for (int client = 0; client < arguments.integer("clients"); client++) {
            CrossBankTransfers transfers = new CrossBankTransfers(
                    arguments.integer("banks"),
                    arguments.integer("accounts-per-bank"),
                    arguments.longInteger("amount-max"),
                    "c" + client + "-",
                    arguments.longInteger("seed") * 1_000_003 + client);
            clients.submitFrom(transfers);
        }
        long reportMillis = arguments.longInteger("report-millis");
        while (clients.failure.get() == null) {
            System.out.println("in-flight " + clients.inFlight.get() + " told " + clients.told.get());
            // A cadence for the report, not a wait for a condition: the parent decides when to kill.
            Thread.sleep(reportMillis);
        }
        throw new IllegalStateException("a transfer failed under load: " + clients.failure.get());
    }

    /** Asynchronous clients: each submits its next transfer from the completion of its last, and counts. */
    private static final class Clients {
        private final Coordinator coordinator;
        private final ToldOutcomes toldOutcomes;
        private final AtomicLong inFlight = new AtomicLong();
        private final AtomicLong told = new AtomicLong();
        private final AtomicReference<String> failure = new AtomicReference<>();

        Clients(Coordinator coordinator, ToldOutcomes toldOutcomes) {
            this.coordinator = coordinator;
            this.toldOutcomes = toldOutcomes;
        }

        /** Submits until one transfer is left to complete later; those done at once are taken in this loop. */
        void submitFrom(CrossBankTransfers transfers) {
            while (failure.get() == null) {
                Transaction transfer = transfers.next();
                inFlight.incrementAndGet();
                CompletableFuture<Outcome> outcome =
                        coordinator.submit(transfer).outcome();
                if (!outcome.isDone()) {
                    outcome.whenComplete((given, thrown) -> {
                        finished(transfer, given, thrown);
                        submitFrom(transfers);
                    });
                    return;
                }
                outcome.whenComplete((given, thrown) -> finished(transfer, given, thrown));
            }
        }

        private void finished(Transaction transfer, Outcome outcome, Throwable thrown) {
            if (thrown != null) {
                failure.compareAndSet(null, transfer.id() + ": " + thrown);
            } else {
                toldOutcomes.told(outcome);
                told.incrementAndGet();
            }
            inFlight.decrementAndGet();
        }
    }

    private static void recover(Arguments arguments) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long mainMillis = System.currentTimeMillis() - jvmStart;
        DurableDirectory directory = open(arguments);
        long readyMillis = System.currentTimeMillis() - jvmStart;
        long cpuMillis = TimeUnit.NANOSECONDS.toMillis(ProcessCpu.nanos());
        DurableDirectory.Timings timings = directory.timings();
        RecoveryReport report = directory.coordinator().recoveryReport();
        System.out.println("ready jvm-start-to-ready-millis=" + readyMillis + " cpu-millis=" + cpuMillis
                + " jvm-start-to-main-millis=" + mainMillis + " banks-millis=" + timings.banksMillis()
                + " log-millis=" + timings.logMillis() + " recovery-millis=" + timings.recoveryMillis()
                + " bank-records=" + timings.bankRecords() + " log-records=" + timings.logRecords()
                + " committed-branches=" + report.committedBranches() + " rolled-back-branches="
                + report.rolledBackBranches() + " redriven-decisions=" + report.redrivenDecisions());
        long firstTransferMillis = firstTransfer(directory.coordinator(), arguments) - jvmStart;
        long[] toldChecked =
                checkTold(directory.coordinator(), arguments.path("dir").resolve(TOLD_FILE));
        long totalMoney = arguments.integer("banks")
                * arguments.longInteger("accounts-per-bank")
                * arguments.longInteger("balance");
        directory.closeAndCheck(totalMoney);
        directory.close();
        System.out.println("checked told-outcomes=" + toldChecked[0] + " told-aborted=" + toldChecked[1]
                + " jvm-start-to-first-transfer-millis="
                + firstTransferMillis + " money=conserved prepared=0");
    }

    /**
     * Makes one transfer on the recovered coordinator and returns the wall clock at its outcome, which must be a
     * commit or, on balances small enough, an abort for want of funds: any other means a coordinator not ready.
     */
    private static long firstTransfer(Coordinator coordinator, Arguments arguments) throws Exception {
        Transaction transfer = new CrossBankTransfers(
                        arguments.integer("banks"),
                        arguments.integer("accounts-per-bank"),
                        arguments.longInteger("amount-max"),
                        "after-recovery-",
                        arguments.longInteger("seed"))
                .next();
        Outcome outcome = coordinator
                .submit(transfer)
                .outcome()
                .get(arguments.longInteger("outcome-timeout-millis"), TimeUnit.MILLISECONDS);
        if (!outcome.isCommitted() && outcome.reason() != Reason.INSUFFICIENT_FUNDS) {
            throw new IllegalStateException("the first transfer after recovery failed: " + outcome);
        }
        return System.currentTimeMillis();
    }

    /**
     * Checks that the coordinator still reports every outcome the killed process told; returns how many it checked
     * and how many of them were aborts.
     */
    private static long[] checkTold(Coordinator coordinator, Path toldFile) throws IOException {
        List<Outcome> told = ToldOutcomes.read(toldFile);
        long aborted = 0;
        for (Outcome outcome : told) {
            Optional<Outcome> recorded = coordinator.outcome(outcome.transactionId());
            if (!recorded.equals(Optional.of(outcome))) {
                throw new IllegalStateException("a client was told " + outcome + ", but after recovery the coordinator"
                        + " records " + recorded);
            }
            aborted += outcome.isCommitted() ? 0 : 1;
        }
        return new long[] {told.size(), aborted};
    }
}
