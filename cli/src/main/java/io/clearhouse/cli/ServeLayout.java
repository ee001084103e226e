package io.clearhouse.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where {@code serve} keeps everything under its data directory: the PostgreSQL cluster of the decision log, the
 * banks' shared write-ahead log, the banks file and system properties it hands to the server, Payara's own files and
 * the server's log.
 */
record ServeLayout(Path root) {
    /** Where clusters go whose data directory PostgreSQL's user cannot reach. */
    static final Path FALLBACK_POSTGRES_ROOT = Path.of("/var/tmp/clearhouse");

    ServeLayout {
        root = root.toAbsolutePath().normalize();
    }

    Path postgres() {
        return root.resolve("postgres");
    }

    /** Names the cluster's directory when it cannot be under the data directory. */
    Path postgresLocation() {
        return root.resolve("postgres.location");
    }

    /** A short name for this data directory, stable across runs. */
    String digest() {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256").digest(root.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    Path banks() {
        return root.resolve("banks");
    }

    Path banksFile() {
        return root.resolve("banks.json");
    }

    Path systemProperties() {
        return root.resolve("clearhouse.properties");
    }

    Path payara() {
        return root.resolve("payara");
    }

    Path serverLog() {
        return root.resolve("logs").resolve("server.log");
    }

    Path lock() {
        return root.resolve("serve.lock");
    }
}
