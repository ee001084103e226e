package io.clearhouse.cli;

import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.bank.memory.MemoryBankGroup;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.engine.CoordinatorOptions;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.FileDecisionLog;
import io.clearhouse.core.log.InMemoryDecisionLog;
import io.clearhouse.journal.JournalOptions;
import io.clearhouse.spi.BankAdapter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An embedded coordinator over one memory bank per bank of the initial state: held in memory only, or, with a data
 * directory, durable (the file decision log, and one write-ahead log shared by all banks so that prepares on a
 * thousand banks still share forced writes). Opening a durable engine recovers whatever an interrupted run left
 * prepared.
 */
final class BatchEngine implements AutoCloseable {
    /**
     * A prepare that times out aborts, which serial execution never would; durable banks under a full in-flight
     * window can take long to vote, so the batch allows them far more than an interactive client would wait.
     */
    static final long PREPARE_TIMEOUT_MILLIS = 120_000;

    private final Map<String, BankAdapter> banks;
    private final MemoryBankGroup group;
    private final Coordinator coordinator;

    private BatchEngine(Map<String, BankAdapter> banks, MemoryBankGroup group, Coordinator coordinator) {
        this.banks = banks;
        this.group = group;
        this.coordinator = coordinator;
    }

    /**
     * @param transfers how many transfers the batch will submit; the coordinator sizes its table of ids for them
     */
    static BatchEngine open(InitialState state, DataDirectory directory, int transfers) {
        Map<String, BankAdapter> banks = new LinkedHashMap<>();
        DecisionLog log = null;
        MemoryBankGroup group = null;
        try {
            group = directory == null ? null : MemoryBankGroup.open(directory.banksDirectory(), true);
            for (Map.Entry<String, Map<String, Long>> bank : state.banks().entrySet()) {
                banks.put(bank.getKey(), openBank(bank.getKey(), bank.getValue(), group));
            }
            log = directory == null
                    ? InMemoryDecisionLog.discarding()
                    : FileDecisionLog.open(directory.decisionLogFile(), JournalOptions.defaults());
            CoordinatorOptions options = CoordinatorOptions.defaults()
                    .withPrepareTimeoutMillis(PREPARE_TIMEOUT_MILLIS)
                    .withThreads(256)
                    .withTransactionIdsExpected(Math.min(transfers, CoordinatorOptions.TRANSACTION_IDS_EXPECTED_MAX));
            return new BatchEngine(banks, group, EmbeddedCoordinator.open(options, banks, log));
        } catch (RuntimeException e) {
            closeQuietly(log, banks, group, e);
            throw e;
        }
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

    /** Posted balances by bank, in the order of the initial state's banks and accounts. */
    Map<String, Map<String, Long>> postedBalances(InitialState state) {
        Map<String, Map<String, Long>> balances = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Long>> bank : state.banks().entrySet()) {
            Map<String, Long> posted = banks.get(bank.getKey()).postedBalances();
            Map<String, Long> ordered = new LinkedHashMap<>();
            for (String account : bank.getValue().keySet()) {
                Long balance = posted.get(account);
                if (balance == null) {
                    throw new IllegalStateException("bank " + bank.getKey() + " lost account " + account);
                }
                ordered.put(account, balance);
            }
            balances.put(bank.getKey(), ordered);
        }
        return balances;
    }

    /** Closes the coordinator (which closes its decision log), then the banks and their shared log. */
    @Override
    public void close() {
        coordinator.close();
        banks.values().forEach(BankAdapter::close);
        if (group != null) {
            group.close();
        }
    }
}
