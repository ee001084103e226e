package io.clearhouse.bench;

import io.clearhouse.bank.jdbc.JdbcBankSettings;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.engine.CoordinatorOptions;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.FileDecisionLog;
import io.clearhouse.journal.JournalOptions;
import io.clearhouse.postgres.PostgresCluster;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.PostgresOptions;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterRegistry;
import io.clearhouse.spi.BankConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Durable cross-bank transfers between two {@code jdbc} banks, each a database of its own in one throwaway
 * PostgreSQL cluster (fsync on) that the benchmark starts and stops, once per mode ({@code escrow}, {@code xa}):
 * the embedded engine with a forced file decision log, closed-loop client threads as in {@code durable}. Every run
 * starts from fresh databases and ends by checking that money was conserved and no branch was left prepared.
 */
public final class PostgresBankBenchmark {
    private static final int BANKS = 2;

    static final Map<String, String> DEFAULTS = Arguments.transferLoadDefaults(
            "modes", "escrow,xa",
            "threads", "64",
            "connections-max", "8",
            "bank-messages-in-flight-max", "1",
            "dir", "target/bench-data/postgres-banks");

    private PostgresBankBenchmark() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args, DEFAULTS);
        System.out.println("jdbc banks in PostgreSQL: " + arguments.describe());
        System.out.println(Machine.describe());
        List<String> rows = new ArrayList<>();
        // Each xa branch is a prepared transaction from its prepare until its commit message, and a client starts its
        // next transfer once the decision is durable, before that commit: at 64 clients each bank can hold a prepared
        // branch per client plus a commit message's worth, near the 256 that were allowed once (the limit is the
        // server's, shared by its databases), where one transfer of a run aborted.
        PostgresOptions options = PostgresOptions.defaults().withMaxPreparedTransactions(1024);
        try (PostgresCluster cluster = PostgresCluster.startThrowaway(options)) {
            for (int clients : arguments.integers("threads")) {
                for (int inFlight : arguments.integers("bank-messages-in-flight-max")) {
                    for (String mode : arguments.text("modes").split(",")) {
                        String label = "file, jdbc " + mode.strip() + ", " + inFlight + " in flight";
                        LoadResult result = runOnce(arguments, cluster.database(), mode.strip(), clients, inFlight);
                        System.out.println(Report.line(BANKS, label, result));
                        rows.add(Report.tableRow(BANKS, label, result));
                    }
                }
            }
        }
        System.out.println();
        System.out.println(Report.TABLE_HEADER);
        rows.forEach(System.out::println);
    }

    private static LoadResult runOnce(
            Arguments arguments, PostgresDatabase server, String mode, int clients, int messagesInFlight)
            throws Exception {
        Path directory = arguments.path("dir").resolve(mode + "-" + clients + "-clients-" + messagesInFlight);
        EmbeddedSetup.deleteRecursively(directory);
        int accounts = arguments.integer("accounts-per-bank");
        long balance = arguments.longInteger("balance");
        BankAdapterRegistry registry = BankAdapterRegistry.load(PostgresBankBenchmark.class.getClassLoader());
        Map<String, BankAdapter> banks = new LinkedHashMap<>();
        for (int bank = 0; bank < BANKS; bank++) {
            String bankId = CrossBankTransfers.bankId(bank);
            PostgresDatabase database = server.createFresh();
            Map<String, Long> balances = new LinkedHashMap<>();
            for (int account = 0; account < accounts; account++) {
                balances.put(CrossBankTransfers.accountId(bank, account), balance);
            }
            Map<String, String> settings = Map.of(
                    JdbcBankSettings.URL, database.jdbcUrl(),
                    JdbcBankSettings.USER, database.user(),
                    JdbcBankSettings.PASSWORD, database.password(),
                    JdbcBankSettings.MODE, mode,
                    JdbcBankSettings.CONNECTIONS_MAX, arguments.text("connections-max"));
            banks.put(bankId, registry.open("jdbc", new BankConfig(bankId, balances, settings)));
        }
        Coordinator coordinator = EmbeddedCoordinator.open(
                CoordinatorOptions.defaults().withBankMessagesInFlightMax(messagesInFlight),
                banks,
                FileDecisionLog.open(directory.resolve("decisions.log"), JournalOptions.defaults()));
        try (EmbeddedSetup.Running running =
                new EmbeddedSetup.Running(coordinator, banks, List.of(), BANKS * accounts * balance)) {
            return running.loadAndCheck(arguments, BANKS, accounts, clients, ClientMode.THREADS, mode + "c");
        }
    }
}
