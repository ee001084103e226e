package io.clearhouse.bench;

import io.clearhouse.bank.memory.MemoryBankGroup;
import io.clearhouse.core.engine.CoordinatorOptions;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.FileDecisionLog;
import io.clearhouse.journal.JournalOptions;
import io.clearhouse.spi.BankAdapter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A durable embedded coordinator in one directory, laid out as {@code batch --data-dir} lays it out: every bank in
 * one shared write-ahead log ({@link MemoryBankGroup}) and a {@link FileDecisionLog}, fsync on. Opening an empty
 * directory starts every bank with its opening balances; opening one a killed process left replays both logs and
 * runs the coordinator's recovery, each step timed, so that a figure says where a restart spends its time.
 */
final class DurableDirectory implements AutoCloseable {
    private final MemoryBankGroup group;
    private final Map<String, BankAdapter> banks;
    private final EmbeddedCoordinator coordinator;
    private final Timings timings;

    /** Milliseconds each step of an opening took, and what the logs held. */
    record Timings(long banksMillis, long logMillis, long recoveryMillis, int bankRecords, int logRecords) {}

    private DurableDirectory(
            MemoryBankGroup group, Map<String, BankAdapter> banks, EmbeddedCoordinator coordinator, Timings timings) {
        this.group = group;
        this.banks = banks;
        this.coordinator = coordinator;
        this.timings = timings;
    }

    /**
     * Opens banks {@code 1..bankCount} of {@code accountsPerBank} accounts, each opened with {@code balance}, their
     * log, the decision log and the coordinator, which recovers before this returns.
     */
    static DurableDirectory open(
            Path directory, int bankCount, int accountsPerBank, long balance, CoordinatorOptions options) {
        long start = System.nanoTime();
        MemoryBankGroup group = MemoryBankGroup.open(directory.resolve("banks"), true);
        Map<String, BankAdapter> banks = new LinkedHashMap<>();
        for (int bank = 0; bank < bankCount; bank++) {
            banks.put(
                    CrossBankTransfers.bankId(bank),
                    group.bank(
                            CrossBankTransfers.bankId(bank),
                            CrossBankTransfers.openingBalances(bank, accountsPerBank, balance)));
        }
        long banksOpen = System.nanoTime();
        FileDecisionLog log = FileDecisionLog.open(
                directory.resolve("decisions.log"), JournalOptions.defaults().withFsync(true));
        long logOpen = System.nanoTime();
        EmbeddedCoordinator coordinator = EmbeddedCoordinator.open(options, banks, log);
        long recovered = System.nanoTime();
        Timings timings = new Timings(
                millis(banksOpen - start),
                millis(logOpen - banksOpen),
                millis(recovered - logOpen),
                group.recordsReplayed(),
                log.recoveredRecords().size());
        return new DurableDirectory(group, banks, coordinator, timings);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    EmbeddedCoordinator coordinator() {
        return coordinator;
    }

    Timings timings() {
        return timings;
    }

    /**
     * Closes the coordinator, which finishes phase two in flight, then checks that the banks hold {@code totalMoney}
     * in all and no branch prepared.
     *
     * @throws IllegalStateException naming the invariant that does not hold
     */
    void closeAndCheck(long totalMoney) {
        coordinator.close();
        BankInvariants.checkMoneyConserved(banks.values(), totalMoney);
        BankInvariants.checkNothingPrepared(banks.values());
    }

    @Override
    public void close() {
        // The coordinator closes the decision log; the banks' last close closes their shared file.
        try (group) {
            coordinator.close();
            banks.values().forEach(BankAdapter::close);
        }
    }
}
