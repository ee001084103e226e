package io.clearhouse.bench;

import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.bank.memory.MemoryBankOptions;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.engine.CoordinatorOptions;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.FileDecisionLog;
import io.clearhouse.journal.JournalOptions;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.xa.ParticipantXAResource;
import jakarta.transaction.TransactionManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Clearhouse's engine and Narayana side by side, coordinating the same participants on the same workload: transfers
 * between two memory banks with forced write-ahead logs, from closed-loop client threads. Clearhouse decides in its
 * file decision log; Narayana in its journal object store, reaching each bank through the XA bridge's {@link
 * ParticipantXAResource}. Both are forced on every write. A third run drives the banks alone ({@link BanksAlone}: the
 * participants' own share of the cost, with no decision logged). The three alternate round by round in one JVM, so
 * that a slow minute of the machine falls on each, and the benchmark ends with Clearhouse's throughput, p99 and CPU
 * per transfer as ratios to Narayana's, and with what each coordinator adds to the banks' CPU time. Every run starts from fresh banks, and ends by checking that money was conserved
 * and no branch was left prepared.
 *
 * <p>The banks acknowledge a commit only once it is forced ({@code phase-two-durable}) on both sides by default,
 * since Narayana forgets a transaction as soon as its commits return and needs that to be safe; Clearhouse does not
 * need it ({@code --phase-two-durable false} shows what its own default saves). A Clearhouse client is answered when
 * the decision is durable, a Narayana client when its commit returns, phase two included: each system as its clients
 * see it.
 */
public final class NarayanaComparison {
    static final String CLEARHOUSE = "clearhouse-file";
    static final String NARAYANA = "narayana-journal";
    static final String BANKS_ALONE = "banks-alone";
    private static final int BANKS = 2;

    static final Map<String, String> DEFAULTS = Arguments.transferLoadDefaults(
            "threads", "16,64",
            "rounds", "2",
            "fsync", "true",
            "phase-two-durable", "true",
            "dir", "target/bench-data/narayana");

    private NarayanaComparison() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args, DEFAULTS);
        System.out.println("Clearhouse and Narayana side by side: " + arguments.describe());
        System.out.println(Machine.describe());
        Path directory = arguments.path("dir");
        EmbeddedSetup.deleteRecursively(directory);
        TransactionManager narayana =
                NarayanaJournal.start(directory.resolve("narayana-store"), arguments.flag("fsync"));
        List<String> rows = new ArrayList<>();
        List<String> ratios = new ArrayList<>();
        try {
            for (int clients : arguments.integers("threads")) {
                Map<String, List<LoadResult>> bySide = new LinkedHashMap<>();
                for (int round = 1; round <= arguments.integer("rounds"); round++) {
                    for (String side : List.of(CLEARHOUSE, NARAYANA, BANKS_ALONE)) {
                        LoadResult result = runOnce(arguments, side, clients, round, narayana);
                        System.out.println("round " + round + ": " + Report.line(BANKS, side, result));
                        rows.add(Report.tableRow(BANKS, side, result));
                        bySide.computeIfAbsent(side, any -> new ArrayList<>()).add(result);
                    }
                }
                ratios.add(ratioLine(clients, bySide.get(CLEARHOUSE), bySide.get(NARAYANA)));
                ratios.add(ownCostLine(clients, bySide));
            }
        } finally {
            NarayanaJournal.stop();
        }
        System.out.println();
        System.out.println(Report.TABLE_HEADER);
        rows.forEach(System.out::println);
        System.out.println();
        ratios.forEach(System.out::println);
    }

    /** Clearhouse's figures against Narayana's, each the mean over the rounds of one client count. */
    private static String ratioLine(int clients, List<LoadResult> clearhouse, List<LoadResult> narayana) {
        return String.format(
                "clients %d, mean of %d rounds: %s/%s transfers/s %.1f (%,.0f / %,.0f), p99 %.2f (%.2f / %.2f ms),"
                        + " CPU/transfer %.2f (%.0f / %.0f µs)",
                clients,
                clearhouse.size(),
                CLEARHOUSE,
                NARAYANA,
                mean(clearhouse, LoadResult::transactionsPerSecond) / mean(narayana, LoadResult::transactionsPerSecond),
                mean(clearhouse, LoadResult::transactionsPerSecond),
                mean(narayana, LoadResult::transactionsPerSecond),
                mean(clearhouse, NarayanaComparison::p99) / mean(narayana, NarayanaComparison::p99),
                mean(clearhouse, NarayanaComparison::p99),
                mean(narayana, NarayanaComparison::p99),
                mean(clearhouse, LoadResult::cpuMicrosPerTransaction)
                        / mean(narayana, LoadResult::cpuMicrosPerTransaction),
                mean(clearhouse, LoadResult::cpuMicrosPerTransaction),
                mean(narayana, LoadResult::cpuMicrosPerTransaction));
    }

    /**
     * What each coordinator adds to the participants' own CPU time per transfer (its mean less that of the banks
     * alone), and Clearhouse's addition as a fraction of Narayana's: the part of the cost each design decides.
     */
    private static String ownCostLine(int clients, Map<String, List<LoadResult>> bySide) {
        double floor = mean(bySide.get(BANKS_ALONE), LoadResult::cpuMicrosPerTransaction);
        double clearhouse = mean(bySide.get(CLEARHOUSE), LoadResult::cpuMicrosPerTransaction) - floor;
        double narayana = mean(bySide.get(NARAYANA), LoadResult::cpuMicrosPerTransaction) - floor;
        return String.format(
                "clients %d: CPU µs per transfer over the banks alone (%.0f µs at %,.0f transfers/s): %s %.0f, %s %.0f;"
                        + " %s/%s %.2f",
                clients,
                floor,
                mean(bySide.get(BANKS_ALONE), LoadResult::transactionsPerSecond),
                CLEARHOUSE,
                clearhouse,
                NARAYANA,
                narayana,
                CLEARHOUSE,
                NARAYANA,
                clearhouse / narayana);
    }

    private static double p99(LoadResult result) {
        return result.latencyMillisAt(99);
    }

    private static double mean(List<LoadResult> results, java.util.function.ToDoubleFunction<LoadResult> figure) {
        return results.stream().mapToDouble(figure).average().orElse(Double.NaN);
    }

    static LoadResult runOnce(Arguments arguments, String side, int clients, int round, TransactionManager narayana)
            throws IOException, InterruptedException {
        Path directory = arguments.path("dir").resolve(side + "-" + clients + "-clients-round-" + round);
        int accounts = arguments.integer("accounts-per-bank");
        long balance = arguments.longInteger("balance");
        Map<String, BankAdapter> banks = openBanks(arguments, directory.resolve("banks"), accounts, balance);
        Coordinator coordinator =
                switch (side) {
                    case CLEARHOUSE ->
                        EmbeddedCoordinator.open(
                                CoordinatorOptions.defaults(),
                                banks,
                                FileDecisionLog.open(
                                        directory.resolve("decisions.log"),
                                        JournalOptions.defaults().withFsync(arguments.flag("fsync"))));
                    case NARAYANA -> new NarayanaCoordinator(narayana, resources(banks));
                    default -> new BanksAlone(banks);
                };
        try (EmbeddedSetup.Running running =
                new EmbeddedSetup.Running(coordinator, banks, List.of(), BANKS * accounts * balance)) {
            return running.loadAndCheck(arguments, BANKS, accounts, clients, ClientMode.THREADS, "r" + round + "c");
        }
    }

    /** Two fresh memory banks, each with a forced write-ahead log of its own under {@code directory}. */
    private static Map<String, BankAdapter> openBanks(Arguments arguments, Path directory, int accounts, long balance)
            throws IOException {
        EmbeddedSetup.deleteRecursively(directory);
        Map<String, BankAdapter> banks = new LinkedHashMap<>();
        for (int bank = 0; bank < BANKS; bank++) {
            String bankId = CrossBankTransfers.bankId(bank);
            Map<String, Long> balances = new LinkedHashMap<>();
            for (int account = 0; account < accounts; account++) {
                balances.put(CrossBankTransfers.accountId(bank, account), balance);
            }
            MemoryBankOptions options = MemoryBankOptions.durable(directory.resolve(bankId), arguments.flag("fsync"))
                    .withPhaseTwoDurable(arguments.flag("phase-two-durable"));
            banks.put(bankId, MemoryBankAdapter.open(bankId, balances, options));
        }
        return banks;
    }

    private static Map<String, ParticipantXAResource> resources(Map<String, BankAdapter> banks) {
        Map<String, ParticipantXAResource> resources = new LinkedHashMap<>();
        banks.forEach((bankId, bank) -> resources.put(bankId, new ParticipantXAResource(bank)));
        return resources;
    }
}
