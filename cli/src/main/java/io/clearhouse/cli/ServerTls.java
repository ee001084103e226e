package io.clearhouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The keystore {@code serve --tls} hands to Payara Micro: the one that {@code CLEARHOUSE_TLS_KEYSTORE} and {@code
 * CLEARHOUSE_TLS_KEYSTORE_PASSWORD} name, or else a self-signed certificate for {@code localhost} made with the JDK's
 * keytool in the data directory on the first start and kept. The command trusts the keystore's certificate when it
 * asks the server whether it is ready.
 *
 * @param keystore a PKCS#12 (or JKS) keystore with one private key entry
 * @param password the keystore's password, which is also the key's
 * @param alias the key entry Payara serves
 */
record ServerTls(Path keystore, String password, String alias) {
    static final String KEYSTORE_VARIABLE = "CLEARHOUSE_TLS_KEYSTORE";
    static final String PASSWORD_VARIABLE = "CLEARHOUSE_TLS_KEYSTORE_PASSWORD";
    static final String GENERATED_ALIAS = "clearhouse";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
    private static final int PASSWORD_BYTES = 24;

    /** The configured keystore, or the data directory's own, made if missing. */
    static ServerTls choose(ServeLayout layout) throws IOException, InputFileException {
        String configured = System.getenv(KEYSTORE_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            String password =
                    Optional.ofNullable(System.getenv(PASSWORD_VARIABLE)).orElse("");
            return ofKeystore(Path.of(configured.strip()).toAbsolutePath(), password);
        }
        if (!Files.exists(layout.tlsKeystore()) || !Files.exists(layout.tlsPassword())) {
            generate(layout);
        }
        return ofKeystore(
                layout.tlsKeystore(), Files.readString(layout.tlsPassword()).strip());
    }

    /** Opens {@code keystore} to find its one key entry; refuses one with none or several. */
    static ServerTls ofKeystore(Path keystore, String password) throws InputFileException {
        try {
            KeyStore store = load(keystore, password);
            List<String> keys = Collections.list(store.aliases()).stream()
                    .filter(alias -> isKeyEntry(store, alias))
                    .toList();
            if (keys.size() != 1) {
                throw new InputFileException(
                        "TLS keystore", keystore, "must hold exactly one private key entry, not " + keys);
            }
            return new ServerTls(keystore, password, keys.get(0));
        } catch (IOException | GeneralSecurityException e) {
            throw new InputFileException("TLS keystore", keystore, "cannot be opened: " + e.getMessage(), e);
        }
    }

    private static boolean isKeyEntry(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The system properties that point Payara at the keystore; in the properties file, not on a command line. */
    void configure(Properties properties) {
        properties.setProperty("javax.net.ssl.keyStore", keystore.toString());
        properties.setProperty("javax.net.ssl.keyStorePassword", password);
    }

    /** A client context that trusts the keystore's certificates, for the command's own requests to its server. */
    SSLContext trustingContext() throws IOException {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(keystore, password));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + keystore + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path keystore, String password) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(in, password.toCharArray());
            return store;
        }
    }

    /** A random password, written owner-only before the keystore exists, then keytool's self-signed certificate. */
    private static void generate(ServeLayout layout) throws IOException {
        Files.createDirectories(layout.tlsKeystore().getParent());
        Files.deleteIfExists(layout.tlsKeystore());
        byte[] random = new byte[PASSWORD_BYTES];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Files.deleteIfExists(layout.tlsPassword());
        Files.createFile(
                layout.tlsPassword(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(layout.tlsPassword(), password + "\n", StandardCharsets.US_ASCII);
        runKeytool(layout, password);
        Files.setPosixFilePermissions(layout.tlsKeystore(), PosixFilePermissions.fromString("rw-------"));
    }

    private static void runKeytool(ServeLayout layout, String password) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                GENERATED_ALIAS,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "3650",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                layout.tlsKeystore().toString(),
                "-storepass:env",
                "CLEARHOUSE_KEYTOOL_PASSWORD");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The password goes through the environment, not the command line that any user can list.
        builder.environment().put("CLEARHOUSE_KEYTOOL_PASSWORD", password);
        Process keytool = builder.start();
        try {
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                keytool.destroyForcibly();
                throw new IOException("keytool could not make a certificate: " + output.strip());
            }
        } catch (InterruptedException e) {
            keytool.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool made a certificate", e);
        }
    }
}
