package io.clearhouse.postgres.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresExtensionIT {
    @Test
    void injectsADatabaseThatAcceptsConnections(PostgresDatabase database) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT current_database(), current_user")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo(database.name());
            assertThat(result.getString(2)).isEqualTo(database.user());
        }
    }

    @Test
    void givesEveryFreshDatabaseItsOwnTables(PostgresDatabase database) throws SQLException {
        PostgresDatabase first = database.createFresh();
        PostgresDatabase second = database.createFresh();
        assertThat(first.name()).isNotEqualTo(second.name());
        try (Connection connection = first.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE only_in_first (id int)");
        }
        try (Connection connection = second.connect();
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM only_in_first"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void createIfMissingFindsTheDatabaseAnEarlierCallCreated(PostgresDatabase database) throws SQLException {
        PostgresDatabase created = database.createIfMissing("created_once");
        try (Connection connection = created.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (id int)");
        }

        PostgresDatabase found = database.createIfMissing("created_once");

        assertThat(found).isEqualTo(created);
        try (Connection connection = found.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM kept")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getLong(1)).isZero();
        }
    }

    @Test
    void sharesOneClusterAcrossTests(PostgresDatabase first, PostgresDatabase second) {
        assertThat(first).isEqualTo(second);
    }
}
