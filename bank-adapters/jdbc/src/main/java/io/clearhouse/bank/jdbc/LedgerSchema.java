package io.clearhouse.bank.jdbc;

import io.clearhouse.spi.BankException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Creates and upgrades a bank's tables with Flyway, from the migrations in {@code io/clearhouse/bank/jdbc/migration},
 * in the bank's schema (created if missing), with a history table of its own name, so that the decision log or
 * anything else can keep its own Flyway history in the same database. Then claims the schema for the bank.
 */
final class LedgerSchema {
    static final String MIGRATIONS = "classpath:io/clearhouse/bank/jdbc/migration";
    static final String HISTORY_TABLE = "clearhouse_bank_schema_history";

    private LedgerSchema() {}

    /** Applies the pending migrations to the schema of {@code settings}. */
    static void migrate(String bankId, JdbcBankSettings settings) {
        try {
            // The adapter's class loader, not the thread's: a server may load adapters apart from the application.
            Flyway.configure(LedgerSchema.class.getClassLoader())
                    .dataSource(settings.url(), settings.user(), settings.password())
                    .schemas(settings.schema())
                    .defaultSchema(settings.schema())
                    .createSchemas(true)
                    .locations(MIGRATIONS)
                    .table(HISTORY_TABLE)
                    .baselineOnMigrate(false)
                    .validateOnMigrate(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new BankException(
                    bankId,
                    "cannot create or upgrade the ledger in schema " + settings.schema() + " of " + settings.url()
                            + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Records {@code bankId} as the owner of the schema the connection's search path names, or checks that it is.
     *
     * @throws BankException naming both banks when another bank owns it
     */
    static void claim(Connection connection, String bankId, String schema) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO bank_owner (bank_id) VALUES (?) ON CONFLICT (singleton) DO NOTHING");
                PreparedStatement owner = connection.prepareStatement("SELECT bank_id FROM bank_owner")) {
            insert.setString(1, bankId);
            insert.executeUpdate();
            try (ResultSet row = owner.executeQuery()) {
                row.next();
                String ownerId = row.getString(1);
                if (!ownerId.equals(bankId)) {
                    throw new BankException(
                            bankId,
                            "schema " + schema + " holds the ledger of bank " + ownerId
                                    + "; give each bank a schema or database of its own (setting "
                                    + JdbcBankSettings.SCHEMA + ")");
                }
            }
        }
    }
}
