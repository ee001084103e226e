package io.clearhouse.cli;

import io.clearhouse.auth.SigningKeys;
import java.nio.file.Path;

/**
 * Where {@code serve} keeps everything under its data directory: the PostgreSQL cluster of the decision log (and of
 * jdbc demo banks), the memory banks' shared write-ahead log, the token signing key pair, what its own banks are made from, the banks file and
 * system properties it hands to the server, Payara's own files and the server's log.
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

    /** Names the cluster's directory when it is not under the data directory; written before the cluster exists. */
    Path postgresLocation() {
        return root.resolve("postgres.location");
    }

    Path banks() {
        return root.resolve("banks");
    }

    Path banksFile() {
        return root.resolve("banks.json");
    }

    /** The kind of the banks serve makes itself ({@code --demo-banks}); absent while it runs over a banks file. */
    Path demoBanksKind() {
        return root.resolve("demo-banks");
    }

    /** A copy of the state serve's own banks are made from. */
    Path demoBanksState() {
        return root.resolve("demo-state.json");
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

    /** The server's scratch directory, settings and log, as {@link PayaraMicroServer} takes them. */
    PayaraMicroFiles payaraMicro() {
        return new PayaraMicroFiles(payara(), systemProperties(), serverLog());
    }

    /** The key pair the server trusts and {@code clearhouse token} signs with. */
    SigningKeys signingKeys() {
        return ServerAuth.signingKeys(root);
    }

    /** The self-signed certificate of {@code serve --tls}, made on its first start. */
    Path tlsKeystore() {
        return root.resolve("tls").resolve("keystore.p12");
    }

    /** The generated keystore's password, readable by its owner only. */
    Path tlsPassword() {
        return root.resolve("tls").resolve("keystore.password");
    }

    Path lock() {
        return root.resolve("serve.lock");
    }
}
