package io.clearhouse.postgres;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to reach one PostgreSQL database: its JDBC URL and the credentials of a user that owns it. The password is
 * left out of {@link #toString()} so that it never reaches a log.
 */
public record PostgresDatabase(String jdbcUrl, String user, String password) {
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?$");
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final AtomicLong FRESH_DATABASES = new AtomicLong();
    private static final String RUN_TAG = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));

    public PostgresDatabase {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!URL.matcher(jdbcUrl).matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/database URL: " + jdbcUrl);
        }
    }

    /** The database's name, taken from the URL. */
    public String name() {
        return url().group(2);
    }

    /** The same server and credentials, another database. */
    public PostgresDatabase withName(String databaseName) {
        Matcher url = url();
        String parameters = url.group(3) == null ? "" : url.group(3);
        return new PostgresDatabase(url.group(1) + requireName(databaseName) + parameters, user, password);
    }

    /** Opens a connection; needs a PostgreSQL JDBC driver on the class path. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /**
     * Creates an empty database owned by this user, with a name no other call in any JVM uses, so that a test gets
     * storage nobody else touches. The user needs the CREATEDB privilege, which the clusters started here grant.
     */
    public PostgresDatabase createFresh() {
        return create("ch_" + RUN_TAG + "_" + FRESH_DATABASES.incrementAndGet());
    }

    /** Creates the database {@code databaseName} owned by this user and returns how to reach it. */
    public PostgresDatabase create(String databaseName) {
        requireName(databaseName);
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + databaseName);
        } catch (SQLException e) {
            throw new PostgresException("cannot create database " + databaseName + " through " + jdbcUrl, e);
        }
        return withName(databaseName);
    }

    /**
     * The database {@code databaseName} on the same server, created owned by this user unless it exists, so that a
     * process that makes its databases at every start finds those of earlier starts. Not safe against another
     * process creating the same name at the same moment; callers hold a lock of their own.
     */
    public PostgresDatabase createIfMissing(String databaseName) {
        requireName(databaseName);
        try (Connection connection = connect();
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, databaseName);
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    return withName(databaseName);
                }
            }
        } catch (SQLException e) {
            throw new PostgresException("cannot look for database " + databaseName + " through " + jdbcUrl, e);
        }
        return create(databaseName);
    }

    private Matcher url() {
        Matcher url = URL.matcher(jdbcUrl);
        if (!url.matches()) {
            throw new IllegalStateException("the URL was checked when this record was made: " + jdbcUrl);
        }
        return url;
    }

    static String requireName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a database or user name here is [a-z_][a-z0-9_]{0,62}: " + name);
        }
        return name;
    }

    @Override
    public String toString() {
        return "PostgresDatabase[" + jdbcUrl + " as " + user + "]";
    }
}
