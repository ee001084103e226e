package io.clearhouse.cli;

import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.bank.memory.MemoryBankGroup;
import io.clearhouse.banks.ConfiguredBank;
import io.clearhouse.banks.OpenBanks;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.engine.CoordinatorOptions;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.FileDecisionLog;
import io.clearhouse.core.log.InMemoryDecisionLog;
import io.clearhouse.core.log.LogRetention;
import io.clearhouse.journal.JournalOptions;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An embedded coordinator over one memory bank per bank of the initial state: held in memory only, or, with a data
 * directory, durable (the file decision log, and one write-ahead log shared by all banks so that prepares on a
 * thousand banks still share forced writes). Or over the banks of a banks file, of any adapter type, whose durability
 * is their own; a data directory then holds the decision log only. Opening a durable engine recovers whatever an
 * interrupted run left prepared.
 */
final class BatchEngine implements AutoCloseable {
    /**
     * A prepare that times out aborts, which serial execution never would; durable banks under a full in-flight
     * window can take long to vote, so the batch allows them far more than an interactive client would wait.
     */
    static final long PREPARE_TIMEOUT_MILLIS = 120_000;

    /**
     * The parser admits each id once, so no retry within the batch asks the engine's memory of finished outcomes,
     * and the batch keeps every line's outcome itself; a memory of all of them would keep some 180 bytes per line
     * alive for nothing. A durable run's earlier outcomes are found in its decision log, memory or not.
     */
    static final int FINISHED_OUTCOMES_IN_MEMORY_MAX = 4_096;

    /** In the order of the initial state or of the banks file. */
    private final Map<String, BankAdapter> banks;

    private final Runnable closeBanks;
    private final Coordinator coordinator;

    private BatchEngine(Map<String, BankAdapter> banks, Runnable closeBanks, Coordinator coordinator) {
        this.banks = banks;
        this.closeBanks = closeBanks;
        this.coordinator = coordinator;
    }

    /**
     * @param transfers how many transfers the batch will submit; the coordinator sizes its table of ids for them
     */
    static BatchEngine open(InitialState state, DataDirectory directory, LogRetention retention, int transfers) {
        Map<String, BankAdapter> banks = new LinkedHashMap<>();
        DecisionLog log = null;
        MemoryBankGroup group = null;
        try {
            group = directory == null ? null : MemoryBankGroup.open(directory.banksDirectory(), true);
            for (Map.Entry<String, Map<String, Long>> bank : state.banks().entrySet()) {
                banks.put(bank.getKey(), openBank(bank.getKey(), bank.getValue(), group));
            }
            log = decisionLog(directory, retention);
            Coordinator coordinator = EmbeddedCoordinator.open(options(transfers), banks, log);
            return new BatchEngine(banks, closingBanksAndGroup(banks, group), coordinator);
        } catch (RuntimeException e) {
            closeQuietly(log, banks, group, e);
            throw e;
        }
    }

    /**
     * Opens the banks of a banks file through their adapters' providers, in file order, and a coordinator over them.
     *
     * @throws RuntimeException what a provider or the coordinator's recovery throws; the banks opened are closed
     */
    static BatchEngine open(
            List<ConfiguredBank> configured, DataDirectory directory, LogRetention retention, int transfers) {
        OpenBanks banks = OpenBanks.open(configured, BatchEngine.class.getClassLoader());
        DecisionLog log = null;
        try {
            log = decisionLog(directory, retention);
            Coordinator coordinator = EmbeddedCoordinator.open(options(transfers), banks.byId(), log);
            return new BatchEngine(banks.byId(), banks::close, coordinator);
        } catch (RuntimeException e) {
            closeQuietly(log, banks.byId(), null, e);
            throw e;
        }
    }

    private static DecisionLog decisionLog(DataDirectory directory, LogRetention retention) {
        return directory == null
                ? InMemoryDecisionLog.discarding()
                : FileDecisionLog.open(directory.decisionLogFile(), JournalOptions.defaults(), retention);
    }

    private static CoordinatorOptions options(int transfers) {
        return CoordinatorOptions.defaults()
                .withPrepareTimeoutMillis(PREPARE_TIMEOUT_MILLIS)
                .withThreads(256)
                .withFinishedOutcomesInMemoryMax(FINISHED_OUTCOMES_IN_MEMORY_MAX)
                .withTransactionIdsExpected(Math.min(transfers, 2 * FINISHED_OUTCOMES_IN_MEMORY_MAX));
    }

    private static Runnable closingBanksAndGroup(Map<String, BankAdapter> banks, MemoryBankGroup group) {
        return () -> {
            banks.values().forEach(BankAdapter::close);
            if (group != null) {
                group.close();
            }
        };
    }

    private static BankAdapter openBank(String bankId, Map<String, Long> balances, MemoryBankGroup group) {
        return group == null ? MemoryBankAdapter.inMemory(bankId, balances) : group.bank(bankId, balances);
    }

    private static void closeQuietly(
            DecisionLog log, Map<String, BankAdapter> banks, MemoryBankGroup group, RuntimeException failure) {
        try {
            if (log != null) {
                log.close();
            }
            banks.values().forEach(BankAdapter::close);
            if (group != null) {
                group.close();
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    Coordinator coordinator() {
        return coordinator;
    }

    /**
     * Posted balances by bank, banks in order, each bank's accounts in its own order: for memory banks, the order of
     * the initial state, which they keep. Asks every bank before waiting for any answer, so that the banks of one bank
     * server answer in a few shared requests instead of a round trip each.
     */
    Map<String, Map<String, Long>> postedBalances() {
        Map<String, CompletableFuture<Map<String, Long>>> asked = new LinkedHashMap<>();
        banks.forEach((bankId, bank) -> asked.put(bankId, askPostedBalances(bank)));
        Map<String, Map<String, Long>> balances = new LinkedHashMap<>();
        asked.forEach((bankId, answer) -> balances.put(bankId, BankException.await(answer)));
        return balances;
    }

    private static CompletableFuture<Map<String, Long>> askPostedBalances(BankAdapter bank) {
        try {
            return bank.postedBalancesAsync().toCompletableFuture();
        } catch (BankException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Closes the coordinator (which closes its decision log), then the banks and what they share. */
    @Override
    public void close() {
        coordinator.close();
        closeBanks.run();
    }
}
