package io.clearhouse.cli;

import io.clearhouse.banks.InitialStateFile;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads STATE.json for the commands through the shared {@link InitialStateFile}, which holds the format's rules and
 * words each refusal. Opens the file with {@link InputFiles} so that a missing file or a directory is named as for
 * every other input, and turns a refusal into the {@link InputFileException} that ends the command with exit code 2.
 */
final class InitialStateReader {
    static final String ROLE = InitialStateFile.ROLE;

    private InitialStateReader() {}

    static InitialState read(Path path) throws InputFileException {
        InputStream input = InputFiles.open(ROLE, path);
        try {
            return new InitialState(InitialStateFile.read(path, input));
        } catch (InitialStateFile.UnusableException e) {
            throw new InputFileException(ROLE, path, e.problem(), e);
        }
    }
}
