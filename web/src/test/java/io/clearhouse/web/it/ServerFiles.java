package io.clearhouse.web.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.bankserver.BankServerProcess;
import io.clearhouse.postgres.PostgresDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/** The files a server under test starts from: a banks file of durable memory banks and its system properties. */
final class ServerFiles {
    private ServerFiles() {}

    /** Where bank {@code bankId} keeps its write-ahead log under {@code directory}. */
    static Path bankDirectory(Path directory, String bankId) {
        return directory.resolve("banks").resolve(bankId).toAbsolutePath();
    }

    /** Writes {@code banks.json} in {@code directory} with one durable memory bank per entry of {@code banks}. */
    static Path writeBanksFile(Path directory, Map<String, Map<String, Long>> banks) {
        List<Map<String, Object>> entries = new ArrayList<>();
        banks.forEach((bankId, accounts) -> {
            Map<String, Object> bank = new LinkedHashMap<>();
            bank.put("id", bankId);
            bank.put("type", "memory");
            bank.put(
                    "settings",
                    Map.of("directory", bankDirectory(directory, bankId).toString()));
            bank.put("accounts", accounts);
            entries.add(bank);
        });
        Path file = directory.resolve("banks.json");
        try {
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), Map.of("banks", entries));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Writes {@code banks.json} in {@code directory} with one {@code remote} bank per entry of {@code urls}, in its
     * order, each reached at its URL with a deadline beyond a bank server's prepare timeout, so that a paused bank
     * server times the prepare out, and a short down-time, so that a restarted one is reached again quickly.
     */
    static Path writeRemoteBanksFile(Path directory, Map<String, URI> urls) {
        List<Map<String, Object>> banks = new ArrayList<>();
        urls.forEach((bankId, url) -> banks.add(Map.of(
                "id",
                bankId,
                "type",
                "remote",
                "settings",
                Map.of("url", url.toString(), "timeout-millis", "2000", "unavailable-millis", "100"))));
        Path file = directory.resolve("banks.json");
        try {
            new ObjectMapper().writeValue(file.toFile(), Map.of("banks", banks));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** As {@link #writeRemoteBanksFile(Path, Map)}, with the first bank of each of {@code servers} at its URL. */
    static Path writeRemoteBanksFile(Path directory, List<BankServerProcess> servers) {
        Map<String, URI> urls = new LinkedHashMap<>();
        servers.forEach(server -> urls.put(server.banks().get(0), server.url()));
        return writeRemoteBanksFile(directory, urls);
    }

    /** The batch size limit the tests' servers run with, small so that a test can pass it. */
    static final int BATCH_LINES_MAX = 50;
    /** The batch body limit of the tests' servers: room for the line limit's lines, small enough to pass. */
    static final int BATCH_BODY_BYTES_MAX = 8_192;
    /** The server's default {@code clearhouse.limits.body-bytes-max}, which the tests leave as it is. */
    static final int BODY_BYTES_MAX_DEFAULT = 1 << 20;

    /**
     * How many finished outcomes the tests' servers keep in memory: few, so that retries, reads and batches of the
     * tests also take the way through PostgreSQL that a long-running server takes for older ids.
     */
    static final int FINISHED_OUTCOMES_IN_MEMORY_MAX = 5;

    /**
     * Writes {@code clearhouse.properties} in {@code directory}: database, banks file, a short recovery interval, a
     * small batch limit, few outcomes in memory.
     */
    static Path writeSystemProperties(Path directory, Path banksFile, PostgresDatabase database) {
        return writeSystemProperties(directory, banksFile, database, Map.of());
    }

    /** As {@link #writeSystemProperties(Path, Path, PostgresDatabase)}, with {@code settings} on top. */
    static Path writeSystemProperties(
            Path directory, Path banksFile, PostgresDatabase database, Map<String, String> settings) {
        Properties properties = new Properties();
        properties.setProperty("clearhouse.jdbc.url", database.jdbcUrl());
        properties.setProperty("clearhouse.jdbc.user", database.user());
        properties.setProperty("clearhouse.jdbc.password", database.password());
        properties.setProperty(
                "clearhouse.banks.file", banksFile.toAbsolutePath().toString());
        properties.setProperty("clearhouse.recovery.interval-seconds", "1");
        properties.setProperty("clearhouse.batch.lines-max", String.valueOf(BATCH_LINES_MAX));
        properties.setProperty("clearhouse.batch.body-bytes-max", String.valueOf(BATCH_BODY_BYTES_MAX));
        properties.setProperty(
                "clearhouse.finished-outcomes-in-memory-max", String.valueOf(FINISHED_OUTCOMES_IN_MEMORY_MAX));
        // As ./clearhouse serve does: Payara's deployment-time JNDI check now and then misses the application's own
        // @DataSourceDefinition and aborts the deployment.
        properties.setProperty("deployment.resource.validation", "false");
        settings.forEach(properties::setProperty);
        Path file = directory.resolve("clearhouse.properties");
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "written by the test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Sets {@code settings} in the properties file {@code file}, beside those it holds. */
    static Path setProperties(Path file, Map<String, String> settings) {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        settings.forEach(properties::setProperty);
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "written by the test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Empties {@code directory} of an earlier run and creates it. */
    static void recreate(Path directory) {
        try {
            if (Files.exists(directory)) {
                try (Stream<Path> paths = Files.walk(directory)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
