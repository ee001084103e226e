package io.clearhouse.bank.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** Writes STATE.json files for the bank servers the tests start. */
final class StateFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StateFiles() {}

    /** Writes {@code banks}, each bank's accounts in the map's order, to {@code file}. */
    static Path write(Path file, Map<String, Map<String, Long>> banks) {
        try {
            JSON.writeValue(file.toFile(), banks);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
