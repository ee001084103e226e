package io.clearhouse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.bank.memory.MemoryBankGroup;
import io.clearhouse.bankserver.BankServerProcess;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.engine.CoordinatorOptions;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.FileDecisionLog;
import io.clearhouse.core.log.InMemoryDecisionLog;
import io.clearhouse.journal.JournalOptions;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterRegistry;
import io.clearhouse.spi.BankConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The embedded engine as the durable benchmark runs it: one memory bank per bank id, each with its own write-ahead
 * log ({@code wal}), or all sharing one log as durable batches do ({@code shared}), or held by bank-server processes
 * and reached over the network through the remote adapter ({@code remote}: {@code bankServers} processes, the banks
 * dealt out to them in turn, each server's banks sharing its log), and a decision log, all in one fresh directory.
 * The decision log is a file ({@code file}), or replicated by a Raft group of three peers, each a JVM of its own on
 * this machine ({@code raft}, opened for the leader's term as a cluster node's coordinator opens it). Either log can
 * be swapped for its in-memory variant, so that a run can show which log dominates the cost.
 */
final class EmbeddedSetup {
    private final int banks;
    private final int accountsPerBank;
    private final long balance;
    private final boolean fsync;
    private final String decisionLog;
    private final String bankLog;
    private final int bankServers;
    private final CoordinatorOptions engine;
    /** A Raft decision log's peers: a majority of three, as {@code clearhouse cluster --nodes 3} runs. */
    private static final int RAFT_PEERS = 3;

    EmbeddedSetup(
            int banks,
            int accountsPerBank,
            long balance,
            boolean fsync,
            String decisionLog,
            String bankLog,
            int bankServers,
            CoordinatorOptions engine) {
        if (!List.of("file", "raft", "memory").contains(decisionLog)) {
            throw new IllegalArgumentException("--decision-log is file, raft or memory, not " + decisionLog);
        }
        if (!List.of("wal", "shared", "remote", "none").contains(bankLog)) {
            throw new IllegalArgumentException("--bank-log is wal, shared, remote or none, not " + bankLog);
        }
        if (bankServers < 1 || bankServers > banks) {
            throw new IllegalArgumentException("--bank-servers must lie in 1..banks, not " + bankServers);
        }
        this.banks = banks;
        this.accountsPerBank = accountsPerBank;
        this.balance = balance;
        this.fsync = fsync;
        this.decisionLog = decisionLog;
        this.bankLog = bankLog;
        this.bankServers = bankServers;
        this.engine = engine;
    }

    int accountsPerBank() {
        return accountsPerBank;
    }

    /** Deletes {@code directory} if a previous run left it, then opens banks, log and coordinator in it. */
    Running open(Path directory) throws IOException, InterruptedException {
        deleteRecursively(directory);
        Files.createDirectories(directory);
        List<AutoCloseable> processes = new ArrayList<>();
        try {
            return open(directory, processes);
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeAll(processes);
            throw e;
        }
    }

    private Running open(Path directory, List<AutoCloseable> processes) throws IOException, InterruptedException {
        List<BankServerProcess> servers = bankLog.equals("remote") ? startBankServers(directory) : List.of();
        servers.forEach(server -> processes.add(server::stop));
        Map<String, BankAdapter> banksById = new LinkedHashMap<>();
        BankAdapterRegistry registry = BankAdapterRegistry.load(EmbeddedSetup.class.getClassLoader());
        // The group's file closes with the last of its banks, so the banks' own close releases it.
        MemoryBankGroup group =
                bankLog.equals("shared") ? MemoryBankGroup.open(directory.resolve("banks"), fsync) : null;
        for (int bank = 0; bank < banks; bank++) {
            String bankId = CrossBankTransfers.bankId(bank);
            banksById.put(
                    bankId,
                    servers.isEmpty()
                            ? openBank(bank, directory.resolve("banks").resolve(bankId), group)
                            : openRemoteBank(registry, bankId, servers.get(bank % servers.size())));
        }
        DecisionLog log = openDecisionLog(directory, processes);
        Coordinator coordinator = EmbeddedCoordinator.open(engine, banksById, log);
        return new Running(coordinator, banksById, processes, (long) banks * accountsPerBank * balance);
    }

    /** The decision log; a Raft group's peers join {@code processes}, which the run stops at its end. */
    private DecisionLog openDecisionLog(Path directory, List<AutoCloseable> processes) throws InterruptedException {
        return switch (decisionLog) {
            case "file" ->
                FileDecisionLog.open(
                        directory.resolve("decisions.log"),
                        JournalOptions.defaults().withFsync(fsync));
            case "raft" -> {
                RaftPeerGroup group = RaftPeerGroup.start(RAFT_PEERS, directory.resolve("raft"));
                processes.add(group);
                yield group.openLog();
            }
            default -> InMemoryDecisionLog.discarding();
        };
    }

    private static void closeAll(List<AutoCloseable> processes) {
        for (AutoCloseable process : processes) {
            try {
                process.close();
            } catch (Exception e) {
                // Stopping the rest matters more than this one's failure, which the caller's exception outranks.
            }
        }
    }

    /** The bank servers, each hosting every {@code bankServers}-th bank, in JVMs tuned as a server would be. */
    private List<BankServerProcess> startBankServers(Path directory) throws IOException {
        Map<String, Map<String, Long>> state = new LinkedHashMap<>();
        for (int bank = 0; bank < banks; bank++) {
            state.put(
                    CrossBankTransfers.bankId(bank),
                    CrossBankTransfers.openingBalances(bank, accountsPerBank, balance));
        }
        Path stateFile = directory.resolve("state.json");
        new ObjectMapper().writeValue(stateFile.toFile(), state);
        List<BankServerProcess> servers = new ArrayList<>();
        try {
            for (int server = 0; server < bankServers; server++) {
                List<String> hosted = new ArrayList<>();
                for (int bank = server; bank < banks; bank += bankServers) {
                    hosted.add(CrossBankTransfers.bankId(bank));
                }
                servers.add(BankServerProcess.start(
                        BANK_SERVER_JVM_OPTIONS,
                        List.of(
                                "--initial-state", stateFile.toString(),
                                "--banks", String.join(",", hosted),
                                "--data-dir",
                                        directory
                                                .resolve("bank-server-" + server)
                                                .toString(),
                                "--fsync", Boolean.toString(fsync),
                                "--port", "0")));
            }
            return servers;
        } catch (RuntimeException e) {
            servers.forEach(BankServerProcess::close);
            throw e;
        }
    }

    /** A bank server's JVM as the command line starts one: a fixed heap, so that its size is not the machine's. */
    private static final List<String> BANK_SERVER_JVM_OPTIONS =
            List.of("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC", "-XX:-UsePerfData");

    /** Opens through one registry, so that its provider shares one client per bank server among that server's banks. */
    private static BankAdapter openRemoteBank(BankAdapterRegistry registry, String bankId, BankServerProcess server) {
        return registry.open(
                "remote",
                new BankConfig(bankId, Map.of(), Map.of("url", server.url().toString())));
    }

    private BankAdapter openBank(int bank, Path directory, MemoryBankGroup group) {
        Map<String, Long> balances = CrossBankTransfers.openingBalances(bank, accountsPerBank, balance);
        String bankId = CrossBankTransfers.bankId(bank);
        if (group != null) {
            return group.bank(bankId, balances);
        }
        return bankLog.equals("wal")
                ? MemoryBankAdapter.durable(bankId, balances, directory, fsync)
                : MemoryBankAdapter.inMemory(bankId, balances);
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * An open engine; closing it closes the coordinator and the banks, and stops the processes it runs on (bank
     * servers, Raft peers).
     */
    static final class Running implements AutoCloseable {
        private final Coordinator coordinator;
        private final Map<String, BankAdapter> banksById;
        private final List<AutoCloseable> processes;
        private final long totalMoney;
        private boolean closed;

        Running(
                Coordinator coordinator,
                Map<String, BankAdapter> banksById,
                List<AutoCloseable> processes,
                long totalMoney) {
            this.coordinator = coordinator;
            this.banksById = banksById;
            this.processes = processes;
            this.totalMoney = totalMoney;
        }

        Coordinator coordinator() {
            return coordinator;
        }

        /**
         * Drives closed-loop cross-bank transfers between {@code banks} banks of {@code accountsPerBank} accounts each
         * from {@code clients} clients, as the load options of {@code arguments} bound them ({@code warmup-seconds},
         * {@code measure-seconds}, {@code transactions-max}, {@code outcome-timeout-millis}, {@code amount-max}, {@code
         * seed}), then closes the engine and checks the invariants.
         *
         * @param idPrefix begins every transaction id, so that runs sharing a coordinator never share an id
         */
        LoadResult loadAndCheck(
                Arguments arguments, int banks, int accountsPerBank, int clients, ClientMode mode, String idPrefix)
                throws InterruptedException {
            LoadSettings load = new LoadSettings(
                    clients,
                    mode,
                    arguments.longInteger("warmup-seconds") * 1000,
                    arguments.longInteger("measure-seconds") * 1000,
                    arguments.longInteger("transactions-max"),
                    arguments.longInteger("outcome-timeout-millis"));
            long seed = arguments.longInteger("seed");
            long amountMax = arguments.longInteger("amount-max");
            LoadResult result = ClientLoad.run(coordinator, load, client -> {
                CrossBankTransfers transfers = new CrossBankTransfers(
                        banks, accountsPerBank, amountMax, idPrefix + client + "-", seed * 1_000_003 + client);
                return transfers::next;
            });
            closeAndCheckInvariants();
            return result;
        }

        /**
         * Closes the coordinator, which finishes phase two in flight, then checks that money was conserved and that
         * no bank still holds a prepared branch.
         *
         * @throws IllegalStateException when either invariant is broken: the figures of such a run are worthless
         */
        void closeAndCheckInvariants() {
            coordinator.close();
            BankInvariants.checkMoneyConserved(banksById.values(), totalMoney);
            BankInvariants.checkNothingPrepared(banksById.values());
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                coordinator.close();
                banksById.values().forEach(BankAdapter::close);
            } finally {
                closeAll(processes);
            }
        }
    }
}
