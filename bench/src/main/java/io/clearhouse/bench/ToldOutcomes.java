package io.clearhouse.bench;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Status;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcomes a process told its clients, one line each ({@code id status reason}), appended as they are told so
 * that a process killed with SIGKILL leaves every line the kernel received: the writer's buffer is handed to the
 * kernel whenever it fills, and a line the kill cut in two is the file's last and is dropped on reading. What the
 * file holds was told; a told outcome may be missing from it, never the other way round.
 */
final class ToldOutcomes implements AutoCloseable {
    private static final int BUFFER_CHARS = 1 << 16;
    /** The reason field of a commit, which has none. */
    private static final String NO_REASON = "-";

    private final BufferedWriter writer;

    private ToldOutcomes(BufferedWriter writer) {
        this.writer = writer;
    }

    static ToldOutcomes create(Path file) throws IOException {
        return new ToldOutcomes(
                new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), BUFFER_CHARS));
    }

    /** Notes {@code outcome} as told; callable from any thread. */
    synchronized void told(Outcome outcome) {
        try {
            String reason = outcome.isCommitted() ? NO_REASON : outcome.reason().name();
            writer.write(outcome.transactionId() + ' ' + outcome.status() + ' ' + reason + '\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot note a told outcome", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        writer.close();
    }

    /** Every whole line of {@code file}: the outcomes surely told. */
    static List<Outcome> read(Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        List<Outcome> outcomes = new ArrayList<>();
        int start = 0;
        for (int end = content.indexOf('\n'); end >= 0; end = content.indexOf('\n', start)) {
            String[] fields = content.substring(start, end).split(" ");
            if (fields.length != 3) {
                throw new IllegalStateException(
                        file + ": a whole line that is not 'id status reason': " + content.substring(start, end));
            }
            Reason reason = fields[2].equals(NO_REASON) ? null : Reason.valueOf(fields[2]);
            outcomes.add(new Outcome(fields[0], Status.valueOf(fields[1]), reason));
            start = end + 1;
        }
        return outcomes;
    }
}
