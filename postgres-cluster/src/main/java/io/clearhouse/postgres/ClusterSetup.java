package io.clearhouse.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** Creates a cluster with {@code initdb}, and its login user and database with {@code psql}, once per cluster. */
final class ClusterSetup {
    /** The bootstrap superuser; it can log in only through the Unix socket inside the data directory. */
    static final String SUPERUSER = "postgres";

    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int PASSWORD_LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterSetup() {}

    /**
     * Runs initdb on an empty {@code dataDirectory}: local connections are trusted because the socket lives in the
     * data directory, which only the server's user can enter; TCP connections need a password.
     *
     * @param sync whether initdb forces its files; a throwaway cluster skips that, it never outlives a crash anyway
     */
    static void initialise(
            ProcessRunner runner, RunAs runAs, Path dataDirectory, PostgresOptions options, boolean sync) {
        try {
            Files.createDirectories(
                    dataDirectory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            runAs.own(dataDirectory);
        } catch (IOException e) {
            throw new PostgresException("cannot create the data directory " + dataDirectory, e);
        }
        List<String> arguments = new ArrayList<>(List.of(
                "-D",
                dataDirectory.toString(),
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--locale=C",
                "--auth-local=trust",
                "--auth-host=scram-sha-256"));
        if (!sync) {
            arguments.add("--no-sync");
        }
        runner.run(options.commandTimeoutMillis(), null, "initdb", arguments.toArray(String[]::new));
        includeClearhouseSettings(dataDirectory);
    }

    private static void includeClearhouseSettings(Path dataDirectory) {
        Path configuration = dataDirectory.resolve("postgresql.conf");
        try {
            Files.writeString(
                    configuration,
                    "\ninclude_if_exists = '" + ServerProcess.SETTINGS_FILE + "'\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new PostgresException("cannot extend " + configuration, e);
        }
    }

    /** Creates the login user (allowed to create databases, for per-test databases) and its database. */
    static void createUserAndDatabase(
            ProcessRunner runner, ServerProcess server, Path dataDirectory, PostgresOptions options, String password) {
        String script = "CREATE ROLE " + options.userName() + " LOGIN CREATEDB PASSWORD '" + password + "';\n"
                + "CREATE DATABASE " + options.databaseName() + " OWNER " + options.userName() + ";\n";
        runner.run(
                options.commandTimeoutMillis(),
                script,
                "psql",
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                dataDirectory.toString(),
                "-p",
                Integer.toString(server.port()),
                "-U",
                SUPERUSER,
                "-d",
                "postgres",
                "-f",
                "-");
    }

    /** A password drawn from letters and digits only, so it never needs quoting in SQL or a URL. */
    static String randomPassword() {
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }
}
