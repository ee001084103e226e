package io.clearhouse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.auth.Role;
import io.clearhouse.postgres.PostgresDatabase;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Writes the two files a server starts from: its banks file and its system properties. For {@code serve}, the banks
 * file lists one memory bank per bank of the initial state, all in one group so they share a write-ahead log (and its
 * forced writes) under the data directory; a durable bank uses its opening balances only while that log holds
 * nothing of it, which is what makes {@code --initial-state} count on the first start only. With {@code --demo-banks
 * jdbc} or {@code jdbc-xa} it lists them as jdbc banks instead, whose opening balances count only while their
 * ledger table is empty. For {@code cluster}, it lists the same banks as {@code remote} banks of one bank server,
 * which every node reaches.
 */
final class ServeFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServeFiles() {}

    static void writeBanksFile(ServeLayout layout, InitialState state) throws IOException {
        List<Map<String, Object>> banks = new ArrayList<>();
        state.banks().forEach((bankId, accounts) -> {
            Map<String, Object> bank = new LinkedHashMap<>();
            bank.put("id", bankId);
            bank.put("type", "memory");
            bank.put("settings", Map.of("group", layout.banks().toString()));
            bank.put("accounts", accounts);
            banks.add(bank);
        });
        writeBanks(layout.banksFile(), banks);
    }

    /**
     * Writes the banks file of jdbc banks, each bank of {@code state} on its database of {@code databases} in jdbc
     * mode {@code mode}, with the state's opening balances, which the adapter puts only into an empty ledger.
     */
    static void writeJdbcBanksFile(
            ServeLayout layout, InitialState state, String mode, Map<String, PostgresDatabase> databases)
            throws IOException {
        List<Map<String, Object>> banks = new ArrayList<>();
        state.banks().forEach((bankId, accounts) -> {
            PostgresDatabase database = databases.get(bankId);
            Map<String, Object> bank = new LinkedHashMap<>();
            bank.put("id", bankId);
            bank.put("type", "jdbc");
            bank.put(
                    "settings",
                    Map.of(
                            "url",
                            database.jdbcUrl(),
                            "user",
                            database.user(),
                            "password",
                            database.password(),
                            "mode",
                            mode));
            bank.put("accounts", accounts);
            banks.add(bank);
        });
        writeBanks(layout.banksFile(), banks);
    }

    /** Writes {@code target}: each bank of {@code state} as a {@code remote} bank of the bank server at {@code url}. */
    static void writeRemoteBanksFile(Path target, InitialState state, URI url) throws IOException {
        List<Map<String, Object>> banks = new ArrayList<>();
        for (String bankId : state.banks().keySet()) {
            Map<String, Object> bank = new LinkedHashMap<>();
            bank.put("id", bankId);
            bank.put("type", "remote");
            bank.put("settings", Map.of("url", url.toString()));
            banks.add(bank);
        }
        writeBanks(target, banks);
    }

    private static void writeBanks(Path target, List<Map<String, Object>> banks) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), Map.of("banks", banks));
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Checks {@code banksFile} as the server will read it, then copies it into the data directory, where later starts
     * without {@code --banks-file} find it.
     */
    static void copyBanksFile(ServeLayout layout, Path banksFile) throws IOException, InputFileException {
        copyBanksFile(layout.banksFile(), banksFile);
    }

    /** As {@link #copyBanksFile(ServeLayout, Path)}, to {@code target}. */
    static void copyBanksFile(Path target, Path banksFile) throws IOException, InputFileException {
        InputFiles.readBanksFile(banksFile);
        copyFile(banksFile, target);
    }

    /** Replaces {@code target} with a copy of {@code source} at once: a crash leaves the old file or the new one. */
    static void copyFile(Path source, Path target) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The server's settings; with {@code tls}, its keystore too, so that the password is on no command line. */
    static void writeSystemProperties(
            ServeLayout layout, PostgresDatabase database, Optional<ServerTls> tls, Optional<Role> metricsOpenApiRole)
            throws IOException {
        Properties properties = new Properties();
        properties.setProperty("clearhouse.jdbc.url", database.jdbcUrl());
        properties.setProperty("clearhouse.jdbc.user", database.user());
        properties.setProperty("clearhouse.jdbc.password", database.password());
        properties.setProperty("clearhouse.banks.file", layout.banksFile().toString());
        // The application sits at the server's root: the OpenAPI document's server is that root, relative, rather
        // than the URL Payara would print with a trailing slash, which OpenAPI linters refuse.
        properties.setProperty("mp.openapi.servers", "/");
        ServerAuth.configure(properties, layout.signingKeys(), metricsOpenApiRole);
        tls.ifPresent(serverTls -> serverTls.configure(properties));
        writeProperties(layout.systemProperties(), properties, "written by clearhouse serve at every start");
    }

    static void writeProperties(Path target, Properties properties, String comment) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temporary)) {
            properties.store(out, comment);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
