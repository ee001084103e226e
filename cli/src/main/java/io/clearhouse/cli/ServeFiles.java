package io.clearhouse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.postgres.PostgresDatabase;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Writes the two files the server starts from. The banks file lists one memory bank per bank of the initial state,
 * all in one group so they share a write-ahead log (and its forced writes) under the data directory; a durable bank
 * uses its opening balances only while that log holds nothing of it, which is what makes {@code --initial-state}
 * count on the first start only.
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
        Path temporary = layout.banksFile().resolveSibling("banks.json.tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), Map.of("banks", banks));
        Files.move(temporary, layout.banksFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Checks {@code banksFile} as the server will read it, then copies it into the data directory, where later starts
     * without {@code --banks-file} find it.
     */
    static void copyBanksFile(ServeLayout layout, Path banksFile) throws IOException, InputFileException {
        InputFiles.readBanksFile(banksFile);
        Path temporary = layout.banksFile().resolveSibling("banks.json.tmp");
        Files.copy(banksFile, temporary, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(temporary, layout.banksFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static void writeSystemProperties(ServeLayout layout, PostgresDatabase database) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("clearhouse.jdbc.url", database.jdbcUrl());
        properties.setProperty("clearhouse.jdbc.user", database.user());
        properties.setProperty("clearhouse.jdbc.password", database.password());
        properties.setProperty("clearhouse.banks.file", layout.banksFile().toString());
        try (Writer out = Files.newBufferedWriter(layout.systemProperties())) {
            properties.store(out, "written by clearhouse serve at every start");
        }
    }
}
