package io.clearhouse.cli;

import io.clearhouse.banks.BanksFile;
import io.clearhouse.banks.ConfiguredBank;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Opens and reads input files with messages that say what is wrong with them in plain words. */
final class InputFiles {
    private static final int READ_BUFFER_BYTES = 1 << 16;

    private InputFiles() {}

    static InputStream open(String role, Path path) throws InputFileException {
        if (Files.isDirectory(path)) {
            throw new InputFileException(role, path, "is a directory, not a file");
        }
        try {
            return new BufferedInputStream(Files.newInputStream(path), READ_BUFFER_BYTES);
        } catch (NoSuchFileException e) {
            throw new InputFileException(role, path, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new InputFileException(role, path, "permission denied", e);
        } catch (IOException e) {
            throw new InputFileException(role, path, "cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The banks of a banks file, read and checked as the server reads it.
     *
     * @throws InputFileException with the file, the bank and the field that cannot be used
     */
    static List<ConfiguredBank> readBanksFile(Path path) throws InputFileException {
        try {
            return BanksFile.read(path);
        } catch (IllegalArgumentException e) {
            throw new InputFileException(e);
        }
    }
}
