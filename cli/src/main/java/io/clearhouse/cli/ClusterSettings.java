package io.clearhouse.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.UUID;

/**
 * What a cluster's data directory must keep the same across starts, in {@code cluster.properties}: the Raft group's
 * id (every node's storage belongs to it), the number of nodes (the group's members), where the banks come from, and
 * the bank server's port, so that a restart of the whole command finds its banks at the same address.
 *
 * @param groupId the Raft group's id, made at the first start
 * @param nodes the number of nodes the group was made with
 * @param banks where the nodes' banks come from
 * @param bankServerPort the bank server's port, once it has had one
 */
record ClusterSettings(UUID groupId, int nodes, BanksSource banks, OptionalInt bankServerPort) {
    /** Where the nodes' banks come from. */
    enum BanksSource {
        /** A bank server that {@code cluster} starts with the banks of a state file; the nodes reach them as remote. */
        BANK_SERVER,
        /** A banks file the user gave, used as it is. */
        BANKS_FILE
    }

    private static final String ROLE = "cluster settings";

    /** The settings an earlier start wrote, if there was one. */
    static Optional<ClusterSettings> read(Path file) throws InputFileException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            throw new InputFileException(ROLE, file, "cannot be read: " + e.getMessage(), e);
        }
        try {
            String port = properties.getProperty("bank-server-port");
            return Optional.of(new ClusterSettings(
                    UUID.fromString(required(properties, "group-id")),
                    Integer.parseInt(required(properties, "nodes")),
                    BanksSource.valueOf(required(properties, "banks")),
                    port == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(port))));
        } catch (IllegalArgumentException e) {
            throw new InputFileException(ROLE, file, "is damaged: " + e.getMessage(), e);
        }
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("no " + key);
        }
        return value.strip();
    }

    void write(Path file) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("group-id", groupId.toString());
        properties.setProperty("nodes", Integer.toString(nodes));
        properties.setProperty("banks", banks.name());
        bankServerPort.ifPresent(port -> properties.setProperty("bank-server-port", Integer.toString(port)));
        ServeFiles.writeProperties(file, properties, "kept by clearhouse cluster across starts; do not edit");
    }

    ClusterSettings withBanks(BanksSource source) {
        return new ClusterSettings(groupId, nodes, source, bankServerPort);
    }

    ClusterSettings withBankServerPort(int port) {
        return new ClusterSettings(groupId, nodes, banks, OptionalInt.of(port));
    }
}
