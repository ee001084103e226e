package io.clearhouse.bench;

import io.clearhouse.log.raft.RaftDecisionNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RaftPeerCommand} in a child JVM started with this JVM's class path: started, asked for its leadership
 * over its standard input and output, and stopped by closing its standard input (then killed if it does not end).
 * Its standard error goes to a file beside its storage.
 */
final class RaftPeerProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    static final Duration END_TIMEOUT = Duration.ofSeconds(30);

    private final String id;
    private final Process process;
    private final Writer input;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private RaftPeerProcess(String id, Process process) {
        this.id = id;
        this.process = process;
        this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readOutput, "raft-peer-" + id + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts peer {@code id} and waits for its ready line.
     *
     * @param arguments the {@link RaftPeerCommand}'s arguments
     * @throws IllegalStateException if it does not print its ready line in time
     */
    static RaftPeerProcess start(String id, List<String> jvmOptions, List<String> arguments, Path errorFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RaftPeerCommand.class.getName()));
        command.addAll(arguments);
        RaftPeerProcess peer;
        try {
            Files.createDirectories(errorFile.getParent());
            peer = new RaftPeerProcess(
                    id,
                    new ProcessBuilder(command)
                            .redirectError(errorFile.toFile())
                            .start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Raft peer " + id, e);
        }
        try {
            peer.awaitLine(RaftPeerCommand.READY_PREFIX, START_TIMEOUT);
            return peer;
        } catch (RuntimeException e) {
            peer.close();
            throw new IllegalStateException("Raft peer " + id + " did not start; see " + errorFile, e);
        }
    }

    String id() {
        return id;
    }

    long pid() {
        return process.pid();
    }

    /** What the peer says of its leadership now. */
    RaftDecisionNode.Leadership leadership() {
        try {
            input.write(RaftPeerCommand.LEADERSHIP_REQUEST + "\n");
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Raft peer " + id + " does not listen", e);
        }
        String[] words =
                awaitLine(RaftPeerCommand.LEADERSHIP_PREFIX, ANSWER_TIMEOUT).split(" ");
        return new RaftDecisionNode.Leadership(
                RaftDecisionNode.Role.valueOf(words[1]),
                Long.parseLong(words[2]),
                words[3].equals("-") ? Optional.empty() : Optional.of(words[3]),
                Boolean.parseBoolean(words[4]));
    }

    private String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("Raft peer " + id + " said no '" + prefix + "' in " + timeout
                            + (process.isAlive() ? "" : "; it ended with " + process.exitValue()));
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Raft peer " + id, e);
        }
    }

    private void readOutput() {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The process ended; a waiting request times out and says so.
        }
    }

    /** Closes the peer's standard input, which stops it, and kills it if it has not ended in time. */
    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException e) {
            // Already gone: the kill below makes sure.
        }
        try {
            if (!process.waitFor(END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
