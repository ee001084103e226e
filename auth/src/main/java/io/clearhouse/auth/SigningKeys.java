package io.clearhouse.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The RSA key pair that signs and verifies tokens, as two PEM files in one directory: the private key (PKCS#8,
 * readable by its owner only) and the public key (X.509 SubjectPublicKeyInfo, the form {@code
 * mp.jwt.verify.publickey} takes). Made once and kept: every token signed since stays valid across restarts.
 */
public record SigningKeys(Path directory) {
    public static final String PRIVATE_KEY_FILE = "signing-key.pem";
    public static final String PUBLIC_KEY_FILE = "signing-key.pub.pem";
    private static final int KEY_BITS = 2048;
    /** Nodes of one cluster start on threads of one process, each making sure of the pair they share. */
    private static final Object CREATING = new Object();

    public Path privateKey() {
        return directory.resolve(PRIVATE_KEY_FILE);
    }

    public Path publicKey() {
        return directory.resolve(PUBLIC_KEY_FILE);
    }

    public boolean exist() {
        return Files.isRegularFile(privateKey()) && Files.isRegularFile(publicKey());
    }

    /**
     * Makes the pair unless both files are there. The public key is written last, so a crash in between leaves no
     * public key and the next start makes a new pair instead of trusting a key whose private half is lost.
     */
    public void createIfMissing() throws IOException {
        synchronized (CREATING) {
            if (exist()) {
                return;
            }
            Files.createDirectories(directory);
            KeyPair pair = generate();
            write(privateKey(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()), "rw-------");
            write(publicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()), "rw-r--r--");
        }
    }

    public PrivateKey readPrivateKey() throws IOException {
        try {
            return rsa().generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(privateKey()))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(privateKey() + " holds no RSA private key in PKCS#8 PEM: " + e.getMessage(), e);
        }
    }

    public PublicKey readPublicKey() throws IOException {
        return parsePublicKey(Files.readString(publicKey()));
    }

    /**
     * An RSA public key from PEM text, with or without its BEGIN and END lines, as {@code mp.jwt.verify.publickey}
     * holds it.
     */
    public static PublicKey parsePublicKey(String pem) throws IOException {
        try {
            return rsa().generatePublic(new X509EncodedKeySpec(der(pem)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("not an RSA public key in PEM (X.509 SubjectPublicKeyInfo): " + e.getMessage(), e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no RSA", e);
        }
    }

    private static KeyFactory rsa() throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA");
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", ""));
    }

    /** Created with its permissions before a byte is written, then renamed into place. */
    private static void write(Path target, String content, String permissions) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(
                    temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another process is writing " + target, e);
        }
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
