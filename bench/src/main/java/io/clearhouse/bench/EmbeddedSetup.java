package io.clearhouse.bench;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The embedded engine as the durable benchmark runs it: one memory bank per bank id, each with its own write-ahead
 * log ({@code wal}), or all sharing one log as durable batches do ({@code shared}), and a decision log, all in one
 * fresh directory. Either log can be swapped for its in-memory variant, so that a run can show which log dominates
 * the cost.
 */
final class EmbeddedSetup {
    private final int banks;
    private final int accountsPerBank;
    private final long balance;
    private final boolean fsync;
    private final String decisionLog;
    private final String bankLog;
    private final int engineThreads;

    EmbeddedSetup(
            int banks,
            int accountsPerBank,
            long balance,
            boolean fsync,
            String decisionLog,
            String bankLog,
            int engineThreads) {
        if (!decisionLog.equals("file") && !decisionLog.equals("memory")) {
            throw new IllegalArgumentException("--decision-log is file or memory, not " + decisionLog);
        }
        if (!bankLog.equals("wal") && !bankLog.equals("shared") && !bankLog.equals("none")) {
            throw new IllegalArgumentException("--bank-log is wal, shared or none, not " + bankLog);
        }
        this.banks = banks;
        this.accountsPerBank = accountsPerBank;
        this.balance = balance;
        this.fsync = fsync;
        this.decisionLog = decisionLog;
        this.bankLog = bankLog;
        this.engineThreads = engineThreads;
    }

    int accountsPerBank() {
        return accountsPerBank;
    }

    /** Deletes {@code directory} if a previous run left it, then opens banks, log and coordinator in it. */
    Running open(Path directory) throws IOException {
        deleteRecursively(directory);
        Files.createDirectories(directory);
        Map<String, BankAdapter> banksById = new LinkedHashMap<>();
        // The group's file closes with the last of its banks, so the banks' own close releases it.
        MemoryBankGroup group =
                bankLog.equals("shared") ? MemoryBankGroup.open(directory.resolve("banks"), fsync) : null;
        for (int bank = 0; bank < banks; bank++) {
            String bankId = CrossBankTransfers.bankId(bank);
            banksById.put(bankId, openBank(bank, directory.resolve("banks").resolve(bankId), group));
        }
        DecisionLog log = decisionLog.equals("file")
                ? FileDecisionLog.open(
                        directory.resolve("decisions.log"),
                        JournalOptions.defaults().withFsync(fsync))
                : InMemoryDecisionLog.discarding();
        Coordinator coordinator =
                EmbeddedCoordinator.open(CoordinatorOptions.defaults().withThreads(engineThreads), banksById, log);
        return new Running(coordinator, banksById, (long) banks * accountsPerBank * balance);
    }

    private BankAdapter openBank(int bank, Path directory, MemoryBankGroup group) {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (int account = 0; account < accountsPerBank; account++) {
            balances.put(CrossBankTransfers.accountId(bank, account), balance);
        }
        String bankId = CrossBankTransfers.bankId(bank);
        if (group != null) {
            return group.bank(bankId, balances);
        }
        return bankLog.equals("wal")
                ? MemoryBankAdapter.durable(bankId, balances, directory, fsync)
                : MemoryBankAdapter.inMemory(bankId, balances);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** An open engine; closing it closes the coordinator and the banks. */
    static final class Running implements AutoCloseable {
        private final Coordinator coordinator;
        private final Map<String, BankAdapter> banksById;
        private final long totalMoney;
        private boolean closed;

        Running(Coordinator coordinator, Map<String, BankAdapter> banksById, long totalMoney) {
            this.coordinator = coordinator;
            this.banksById = banksById;
            this.totalMoney = totalMoney;
        }

        Coordinator coordinator() {
            return coordinator;
        }

        /**
         * Closes the coordinator, which finishes phase two in flight, then checks that money was conserved and that
         * no bank still holds a prepared branch.
         *
         * @throws IllegalStateException when either invariant is broken: the figures of such a run are worthless
         */
        void closeAndCheckInvariants() {
            coordinator.close();
            long sum = 0;
            for (BankAdapter bank : banksById.values()) {
                sum += bank.postedBalances().values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                if (!bank.recover().isEmpty()) {
                    throw new IllegalStateException("bank " + bank.bankId() + " still holds prepared branches "
                            + bank.recover().size());
                }
            }
            if (sum != totalMoney) {
                throw new IllegalStateException("money not conserved: " + sum + " != " + totalMoney);
            }
            close();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            coordinator.close();
            banksById.values().forEach(BankAdapter::close);
        }
    }
}
