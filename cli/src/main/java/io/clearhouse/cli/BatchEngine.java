package io.clearhouse.cli;

import io.clearhouse.bank.memory.MemoryBankAdapter;
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
 * directory, durable (write-ahead logs fsync'd with group commit, and the file decision log). Opening a durable
 * engine recovers whatever an interrupted run left prepared.
 */
final class BatchEngine implements AutoCloseable {
    /**
     * A prepare that times out aborts, which serial execution never would; durable banks under a full in-flight
     * window can take long to vote, so the batch allows them far more than an interactive client would wait.
     */
    static final long PREPARE_TIMEOUT_MILLIS = 120_000;

    private final Map<String, BankAdapter> banks;
    private final Coordinator coordinator;

    private BatchEngine(Map<String, BankAdapter> banks, Coordinator coordinator) {
        this.banks = banks;
        this.coordinator = coordinator;
    }

    static BatchEngine open(InitialState state, DataDirectory directory) {
        Map<String, BankAdapter> banks = new LinkedHashMap<>();
        DecisionLog log = null;
        try {
            for (Map.Entry<String, Map<String, Long>> bank : state.banks().entrySet()) {
                banks.put(bank.getKey(), openBank(bank.getKey(), bank.getValue(), directory));
            }
            log = directory == null
                    ? InMemoryDecisionLog.discarding()
                    : FileDecisionLog.open(directory.decisionLogFile(), JournalOptions.defaults());
            CoordinatorOptions options = CoordinatorOptions.defaults()
                    .withPrepareTimeoutMillis(PREPARE_TIMEOUT_MILLIS)
                    .withThreads(256);
            return new BatchEngine(banks, EmbeddedCoordinator.open(options, banks, log));
        } catch (RuntimeException e) {
            closeQuietly(log, banks, e);
            throw e;
        }
    }

    private static BankAdapter openBank(String bankId, Map<String, Long> balances, DataDirectory directory) {
        if (directory == null) {
            return MemoryBankAdapter.inMemory(bankId, balances);
        }
        return MemoryBankAdapter.durable(bankId, balances, directory.bankDirectory(bankId), true);
    }

    private static void closeQuietly(DecisionLog log, Map<String, BankAdapter> banks, RuntimeException failure) {
        try {
            if (log != null) {
                log.close();
            }
            banks.values().forEach(BankAdapter::close);
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

    /** Closes the coordinator (which closes its decision log), then the banks. */
    @Override
    public void close() {
        coordinator.close();
        banks.values().forEach(BankAdapter::close);
    }
}
