package io.clearhouse.journal;

import java.nio.file.Path;

/** A journal could not be opened, read, written or forced; the message names the file and, if known, the offset. */
public class JournalException extends RuntimeException {
    private final Path file;

    public JournalException(Path file, String message, Throwable cause) {
        super("journal " + file + ": " + message, cause);
        this.file = file;
    }

    public JournalException(Path file, String message) {
        this(file, message, null);
    }

    public Path file() {
        return file;
    }
}
