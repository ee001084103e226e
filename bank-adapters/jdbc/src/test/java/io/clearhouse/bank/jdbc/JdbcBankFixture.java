package io.clearhouse.bank.jdbc;

import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.PostgresOptions;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Opens jdbc banks on a test's database, and looks at the database from outside the bank. */
final class JdbcBankFixture {
    private final PostgresDatabase database;

    /**
     * A throwaway cluster's options with {@code preparedTransactionsMax} prepared transactions allowed: the kit
     * prepares 100 branches at once, more than the shared cluster's 64.
     */
    static PostgresOptions options(int preparedTransactionsMax) {
        PostgresOptions defaults = PostgresOptions.defaults();
        return new PostgresOptions(
                defaults.binDirectory(),
                defaults.databaseName(),
                defaults.userName(),
                defaults.fsync(),
                preparedTransactionsMax,
                defaults.maxConnections(),
                defaults.temporaryDirectory(),
                defaults.unprivilegedUser(),
                defaults.startTimeoutMillis(),
                defaults.stopTimeoutMillis(),
                defaults.commandTimeoutMillis(),
                defaults.portAttemptsMax(),
                defaults.settings());
    }

    JdbcBankFixture(PostgresDatabase database) {
        this.database = database;
    }

    PostgresDatabase database() {
        return database;
    }

    Map<String, String> settings(JdbcBankMode mode, String... extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put(JdbcBankSettings.URL, database.jdbcUrl());
        settings.put(JdbcBankSettings.USER, database.user());
        settings.put(JdbcBankSettings.PASSWORD, database.password());
        settings.put(JdbcBankSettings.MODE, mode.settingValue());
        for (int i = 0; i < extra.length; i += 2) {
            settings.put(extra[i], extra[i + 1]);
        }
        return settings;
    }

    BankAdapter open(String bankId, Map<String, Long> balances, Map<String, String> settings) {
        return new JdbcBankProvider().open(new BankConfig(bankId, balances, settings));
    }

    /** The GIDs prepared in the test's database. */
    List<String> preparedGids() throws SQLException {
        List<String> gids = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT gid FROM pg_prepared_xacts WHERE database = current_database() ORDER BY gid");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                gids.add(rows.getString(1));
            }
        }
        return gids;
    }

    /** Rolls back every transaction left prepared in the test's database, which would hold a server slot for ever. */
    void rollBackPrepared() throws SQLException {
        List<String> gids = preparedGids();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            for (String gid : gids) {
                statement.execute("ROLLBACK PREPARED '" + gid.replace("'", "''") + "'");
            }
        }
    }
}
