package io.clearhouse.bank.jdbc;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterProvider;
import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.BankException;
import io.clearhouse.xa.ClearhouseXaXids;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.XAConnection;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.ds.common.BaseDataSource;
import org.postgresql.xa.PGXADataSource;

/**
 * Opens jdbc banks, type {@code jdbc}: a bank whose ledger is a PostgreSQL database or schema of its own. Settings
 * ({@link JdbcBankSettings}): {@code url}, {@code user}, {@code password}, {@code schema} ({@code public}), {@code
 * mode} ({@code escrow} or {@code xa}) and the limits. Opening creates or upgrades the tables with Flyway, claims the
 * schema for the bank, and inserts the banks file's opening balances only when the account table is empty; the bank's
 * accounts are those the table holds. In mode xa it also checks that the server allows prepared transactions and
 * settles what a crash left.
 */
public final class JdbcBankProvider implements BankAdapterProvider {
    public static final String TYPE = "jdbc";

    private static final System.Logger LOG = System.getLogger(JdbcBankProvider.class.getName());

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public BankAdapter open(BankConfig config) {
        String bankId = config.bankId();
        JdbcBankSettings settings = JdbcBankSettings.of(config);
        if (settings.mode() == JdbcBankMode.XA && !ClearhouseXaXids.fits(bankId)) {
            throw new BankException(
                    bankId,
                    "setting " + JdbcBankSettings.MODE + " xa needs a bank id of at most "
                            + ClearhouseXaXids.PART_BYTES_MAX + " bytes, the most an XA branch qualifier holds");
        }
        LedgerSchema.migrate(bankId, settings);
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            LocalTransactions transactions = new LocalTransactions(bankId, plainPool(bankId, settings));
            resources.add(transactions);
            BranchBook book = new BranchBook(transactions, new LedgerTables(bankId));
            transactions.inTransaction("claiming the schema", connection -> {
                LedgerSchema.claim(connection, bankId, settings.schema());
                return null;
            });
            book.openAccountsIfEmpty(config.initialBalances());
            Set<String> accounts = book.postedBalances().keySet();
            LOG.log(
                    Level.INFO,
                    "bank {0}: jdbc ledger with {1} accounts, settings {2}",
                    bankId,
                    accounts.size(),
                    new TreeMap<>(settings.describe()));
            BankAdapter bank = settings.mode() == JdbcBankMode.ESCROW
                    ? new EscrowJdbcBank(bankId, settings, book, accounts, closeAll(resources))
                    : openXa(bankId, settings, book, transactions, accounts, resources);
            return bank;
        } catch (RuntimeException e) {
            closeAfterFailure(resources, e);
            throw e;
        }
    }

    private static XaJdbcBank openXa(
            String bankId,
            JdbcBankSettings settings,
            BranchBook book,
            LocalTransactions transactions,
            Set<String> accounts,
            List<AutoCloseable> resources) {
        requirePreparedTransactions(bankId, transactions);
        XaBranches xa = new XaBranches(bankId, xaPool(bankId, settings), transactions);
        resources.add(xa);
        ParallelXaCalls calls = new ParallelXaCalls(bankId, settings.connectionsMax());
        resources.add(calls);
        XaJdbcBank bank = new XaJdbcBank(bankId, settings, book, xa, calls, accounts, closeAll(resources));
        bank.settleLeftovers();
        return bank;
    }

    private static void requirePreparedTransactions(String bankId, LocalTransactions transactions) {
        int allowed = transactions.read("reading max_prepared_transactions", connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SHOW max_prepared_transactions")) {
                row.next();
                return Integer.parseInt(row.getString(1));
            }
        });
        if (allowed <= 0) {
            throw new BankException(
                    bankId,
                    "setting " + JdbcBankSettings.MODE + " xa needs PREPARE TRANSACTION, and"
                            + " the server has max_prepared_transactions = " + allowed
                            + "; raise it (a restart is needed)");
        }
    }

    private static ConnectionPool<Connection> plainPool(String bankId, JdbcBankSettings settings) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        configure(source, bankId, settings);
        return new ConnectionPool<>(
                bankId,
                settings.connectionsMax(),
                settings.connectionWaitMillis(),
                source::getConnection,
                Connection::close);
    }

    private static ConnectionPool<XAConnection> xaPool(String bankId, JdbcBankSettings settings) {
        PGXADataSource source = new PGXADataSource();
        configure(source, bankId, settings);
        return new ConnectionPool<>(
                bankId,
                settings.connectionsMax(),
                settings.connectionWaitMillis(),
                source::getXAConnection,
                XAConnection::close);
    }

    /**
     * Every connection gets the bank's schema as its search path, the lock and statement timeouts (so a wait for a
     * row lock ends in a failed call, never a hang) and synchronous commit, on which a COMMIT vote relies whatever the
     * server's default.
     */
    private static void configure(BaseDataSource source, String bankId, JdbcBankSettings settings) {
        source.setUrl(settings.url());
        source.setUser(settings.user());
        source.setPassword(settings.password());
        source.setCurrentSchema(settings.schema());
        source.setApplicationName("clearhouse-bank-" + bankId.substring(0, Math.min(bankId.length(), 40)));
        source.setOptions("-c lock_timeout=" + settings.lockTimeoutMillis() + " -c statement_timeout="
                + settings.statementTimeoutMillis() + " -c synchronous_commit=on");
        int waitSeconds = (int) Math.max(1, (settings.connectionWaitMillis() + 999) / 1000);
        source.setConnectTimeout(waitSeconds);
        source.setLoginTimeout(waitSeconds);
        // A read that waits past the statement timeout is a dead connection, not a slow statement.
        source.setSocketTimeout((int) (settings.statementTimeoutMillis() / 1000) + 30);
    }

    private static AutoCloseable closeAll(List<AutoCloseable> resources) {
        List<AutoCloseable> owned = List.copyOf(resources);
        return () -> {
            for (int i = owned.size() - 1; i >= 0; i--) {
                owned.get(i).close();
            }
        };
    }

    private static void closeAfterFailure(List<AutoCloseable> resources, RuntimeException failure) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
