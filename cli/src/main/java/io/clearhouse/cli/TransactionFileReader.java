package io.clearhouse.cli;

import io.clearhouse.api.batch.BatchFileParser;
import io.clearhouse.api.batch.BatchLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads TX.csv into parsed lines. Bytes that are not UTF-8 become replacement characters rather than failing the
 * file: a bad line never stops a batch, it only gets its own result.
 */
final class TransactionFileReader {
    static final String ROLE = "transactions";

    private TransactionFileReader() {}

    static List<BatchLine> read(Path path) throws InputFileException {
        try (InputStream input = InputFiles.open(ROLE, path);
                BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
            return BatchFileParser.parse(reader);
        } catch (IOException e) {
            throw new InputFileException(ROLE, path, "cannot be read: " + e.getMessage(), e);
        }
    }
}
