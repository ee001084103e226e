package io.clearhouse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The directory of a durable batch: the banks' shared write-ahead log under {@code banks/}, the decision log, and a
 * manifest that binds the directory to the digests of the two input files. The manifest is written, synced and
 * renamed into place before any bank or log is opened, so a directory either has no state or states which inputs
 * it belongs to; a later run with other inputs is refused rather than mixing two batches' effects.
 */
final class DataDirectory implements AutoCloseable {
    static final String ROLE = "data directory";
    static final String MANIFEST = "batch-inputs.json";
    /** Named after the manifest, so that a directory holding only these two is still one of ours. */
    static final String LOCK = MANIFEST + ".lock";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final FileChannel lock;

    private DataDirectory(Path root, FileChannel lock) {
        this.root = root;
        this.lock = lock;
    }

    /** The inputs a directory belongs to, as SHA-256 digests of their bytes in hex. */
    record Inputs(String initialStateSha256, String transactionsSha256) {}

    /**
     * Creates the directory and binds it to the inputs on the first run; checks the binding on every later run.
     *
     * @param banks the file the banks come from: the initial state, or with {@code --banks-file} the banks file,
     *     whose digest the manifest keeps in the same field
     * @param banksRole how messages name that file
     * @throws InputFileException if the directory cannot be used or belongs to other inputs
     */
    static DataDirectory bind(Path root, Path banks, String banksRole, Path transactions) throws InputFileException {
        Inputs inputs = new Inputs(digest(banksRole, banks), digest(TransactionFileReader.ROLE, transactions));
        FileChannel lock = null;
        try {
            Files.createDirectories(root);
            lock = lock(root);
            Path manifest = root.resolve(MANIFEST);
            if (Files.exists(manifest)) {
                check(root, manifest, inputs, banksRole);
            } else {
                refuseForeignState(root);
                writeManifest(root, manifest, inputs);
            }
            return new DataDirectory(root, lock);
        } catch (IOException e) {
            closeQuietly(lock);
            throw new InputFileException(ROLE, root, "cannot be used: " + e, e);
        } catch (InputFileException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    /**
     * Takes the directory for this run: a second run on it, in this process or another, is refused with a message
     * before it touches any log, instead of failing later on a log's own lock.
     */
    private static FileChannel lock(Path root) throws IOException, InputFileException {
        FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() != null) {
                return channel;
            }
        } catch (OverlappingFileLockException e) {
            // This process holds it already.
        }
        channel.close();
        throw new InputFileException(ROLE, root, "is in use by another batch run; wait for it to finish");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // The lock goes with the channel or with the process; nothing else was held.
        }
    }

    /** Releases the directory for the next run. */
    @Override
    public void close() {
        closeQuietly(lock);
    }

    private static void check(Path root, Path manifest, Inputs inputs, String banksRole)
            throws IOException, InputFileException {
        Inputs bound;
        try {
            bound = JSON.readValue(manifest.toFile(), Inputs.class);
        } catch (JsonProcessingException e) {
            throw new InputFileException(ROLE, root, MANIFEST + " is damaged: " + e.getOriginalMessage(), e);
        }
        if (!inputs.initialStateSha256().equals(bound.initialStateSha256())) {
            throw new InputFileException(ROLE, root, "belongs to a run with another " + banksRole + " file");
        }
        if (!inputs.transactionsSha256().equals(bound.transactionsSha256())) {
            throw new InputFileException(ROLE, root, "belongs to a run with another transactions file");
        }
    }

    private static void refuseForeignState(Path root) throws IOException, InputFileException {
        try (var entries = Files.list(root)) {
            if (entries.anyMatch(entry -> !entry.getFileName().toString().startsWith(MANIFEST))) {
                throw new InputFileException(ROLE, root, "is not empty and holds no " + MANIFEST);
            }
        }
    }

    private static void writeManifest(Path root, Path manifest, Inputs inputs) throws IOException {
        Path temporary = root.resolve(MANIFEST + ".tmp");
        Files.write(temporary, JSON.writeValueAsString(inputs).getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temporary, manifest, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel directory = FileChannel.open(root, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private static String digest(String role, Path path) throws InputFileException {
        try (InputStream input = new DigestInputStream(InputFiles.open(role, path), sha256())) {
            input.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of()
                    .formatHex(((DigestInputStream) input).getMessageDigest().digest());
        } catch (IOException e) {
            throw new InputFileException(role, path, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** The directory of the banks' shared write-ahead log. */
    Path banksDirectory() {
        return root.resolve("banks");
    }

    /** The decision log's first segment; later ones add a number to its name. */
    Path decisionLogFile() {
        return root.resolve("decisions.log");
    }
}
