package io.clearhouse.log.jpa;

import io.clearhouse.core.log.DecisionLogException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Creates and upgrades the decision log's tables with Flyway, from the migrations in {@code
 * io/clearhouse/log/jpa/migration}. Its history table has its own name, so other parts of the application can keep
 * their own Flyway history in the same database.
 */
public final class DecisionLogSchema {
    public static final String MIGRATIONS = "classpath:io/clearhouse/log/jpa/migration";
    public static final String HISTORY_TABLE = "decision_log_schema_history";

    private DecisionLogSchema() {}

    /** Applies the pending migrations through a connection of its own. */
    public static void migrate(String jdbcUrl, String user, String password) {
        migrate(Flyway.configure().dataSource(jdbcUrl, user, password), jdbcUrl);
    }

    /** Applies the pending migrations through {@code dataSource}, such as a container's. */
    public static void migrate(DataSource dataSource) {
        migrate(Flyway.configure().dataSource(dataSource), String.valueOf(dataSource));
    }

    private static void migrate(org.flywaydb.core.api.configuration.FluentConfiguration configuration, String target) {
        try {
            configuration
                    .locations(MIGRATIONS)
                    .table(HISTORY_TABLE)
                    .baselineOnMigrate(false)
                    .validateOnMigrate(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new DecisionLogException("cannot migrate the decision log schema in " + target, e);
        }
    }
}
