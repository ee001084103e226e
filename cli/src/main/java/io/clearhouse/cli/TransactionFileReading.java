package io.clearhouse.cli;

import io.clearhouse.api.batch.BatchLine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Parses TX.csv on its own thread while the caller reads STATE.json: the two files are independent, and on two
 * cores the smaller one then costs nothing.
 */
final class TransactionFileReading {
    private final FutureTask<List<BatchLine>> parsing;

    private TransactionFileReading(Path path) {
        this.parsing = new FutureTask<>(() -> TransactionFileReader.read(path));
    }

    static TransactionFileReading start(Path path) {
        TransactionFileReading reading = new TransactionFileReading(path);
        Thread thread = new Thread(reading.parsing, "transactions-parser");
        thread.setDaemon(true);
        thread.start();
        return reading;
    }

    /** The parsed lines, or the reason the file cannot be used. */
    List<BatchLine> lines() throws InputFileException {
        try {
            return parsing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parsing the transactions file", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InputFileException inputFileException) {
                throw inputFileException;
            }
            if (cause instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("parsing the transactions file failed", cause);
        }
    }
}
