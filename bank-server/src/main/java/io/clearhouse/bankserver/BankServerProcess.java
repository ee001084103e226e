package io.clearhouse.bankserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bank server in a JVM of its own, started with the current class path: for tests that need a real process to
 * stop, kill, pause or restart, and for benchmarks that put banks in other processes. {@link #start} returns once the server printed its ready line, with the URL it gives.
 * Close it in every case (try-with-resources, or {@code @AfterEach}/{@code @AfterAll}): closing kills it if it still
 * runs, and a JVM shutdown hook kills whatever a test left running.
 *
 * <pre>{@code
 * try (BankServerProcess server = BankServerProcess.start(stateFile, dataDirectory, "--fsync", "false")) {
 *     BankConfig config = new BankConfig("1", Map.of(), Map.of("url", server.url().toString()));
 *     ...
 *     server.kill();                                   // SIGKILL
 *     try (BankServerProcess again = server.restart()) { ... }   // same arguments, same port
 * }
 * }</pre>
 */
public final class BankServerProcess implements AutoCloseable {
    /** The ready line the server prints on standard output. */
    public static final Pattern READY_LINE = Pattern.compile("Bank server ready at (\\S+) \\(banks (.*)\\)");
    /** How long a start may take before it counts as failed: a cold JVM on a busy 2-core machine. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How long a stopped or killed server may take to end. */
    public static final Duration END_TIMEOUT = Duration.ofSeconds(30);

    /** Quick start-up: the client compiler only, and a small heap; a test server serves little. */
    public static final List<String> TEST_JVM_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-XX:-UsePerfData");

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    private final Process process;
    private final List<String> jvmOptions;
    private final List<String> arguments;
    private final URI url;
    private final List<String> banks;
    private final Output output;

    private BankServerProcess(
            Process process,
            List<String> jvmOptions,
            List<String> arguments,
            URI url,
            List<String> banks,
            Output output) {
        this.process = process;
        this.jvmOptions = jvmOptions;
        this.arguments = arguments;
        this.url = url;
        this.banks = banks;
        this.output = output;
    }

    /**
     * Starts a server on a free port of 127.0.0.1 hosting the banks of {@code stateFile} (or those {@code
     * moreArguments} select with {@code --banks}), with its log in {@code dataDirectory}.
     */
    public static BankServerProcess start(Path stateFile, Path dataDirectory, String... moreArguments) {
        List<String> arguments = new ArrayList<>(List.of(
                "--initial-state", stateFile.toString(), "--data-dir", dataDirectory.toString(), "--port", "0"));
        arguments.addAll(List.of(moreArguments));
        return start(arguments);
    }

    /**
     * Starts {@code bank-server} with exactly {@code arguments} and waits for its ready line.
     *
     * @throws IllegalStateException with the server's standard error when it ends or stays silent instead
     */
    public static BankServerProcess start(List<String> arguments) {
        return start(TEST_JVM_OPTIONS, arguments);
    }

    /** As {@link #start(List)}, in a JVM with {@code jvmOptions} instead of the quick-starting test options. */
    public static BankServerProcess start(List<String> jvmOptions, List<String> arguments) {
        Process process = launch(jvmOptions, arguments);
        Output output = new Output(process);
        try {
            String ready = output.readyLine.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Matcher matcher = READY_LINE.matcher(ready);
            if (!matcher.matches()) {
                throw new IllegalStateException("bank server printed '" + ready + "' instead of its ready line");
            }
            List<String> banks = List.of(matcher.group(2).split(","));
            return new BankServerProcess(
                    process,
                    List.copyOf(jvmOptions),
                    List.copyOf(arguments),
                    URI.create(matcher.group(1)),
                    banks,
                    output);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            destroy(process);
            throw new IllegalStateException("bank server " + arguments + " did not start: " + output.errors(), e);
        } catch (InterruptedException e) {
            destroy(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting a bank server", e);
        }
    }

    /** Runs {@code bank-server} with {@code arguments} to its end, for tests of arguments that make it refuse. */
    public static Run run(String... arguments) {
        Process process = launch(TEST_JVM_OPTIONS, List.of(arguments));
        Output output = new Output(process);
        try {
            if (!process.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        "bank server " + List.of(arguments) + " did not end: " + output.errors());
            }
            return new Run(process.exitValue(), output.lines(), output.errorLines());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running a bank server", e);
        } finally {
            destroy(process);
        }
    }

    /**
     * A finished run.
     *
     * @param exitCode the process's exit code
     * @param standardOutput its standard output, by line
     * @param standardError its standard error, by line
     */
    public record Run(int exitCode, List<String> standardOutput, List<String> standardError) {}

    private static Process launch(List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BankServerCommand.class.getName());
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command).start();
            RUNNING.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a bank server JVM", e);
        }
    }

    /** The address the server printed, with its real port. */
    public URI url() {
        return url;
    }

    /** The banks the ready line named. */
    public List<String> banks() {
        return banks;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM and returns the exit code once the server ended. */
    public int stop() {
        process.destroy();
        return awaitEnd();
    }

    /** Sends SIGKILL and waits for the server to end: a crash, with nothing flushed or closed. */
    public void kill() {
        process.destroyForcibly();
        awaitEnd();
    }

    /** Sends SIGSTOP: the server keeps its connections but answers nothing until {@link #resume}. */
    public void pause() {
        signal("STOP");
    }

    /** Sends SIGCONT after {@link #pause}. */
    public void resume() {
        signal("CONT");
    }

    /**
     * Starts the server again with the same arguments on the same port, so that clients holding its URL reach the
     * new process; call it after {@link #stop} or {@link #kill}.
     */
    public BankServerProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("bank server " + pid() + " still runs; stop or kill it first");
        }
        List<String> again = new ArrayList<>(arguments);
        int port = again.indexOf("--port");
        if (port >= 0) {
            again.set(port + 1, Integer.toString(url.getPort()));
        } else {
            again.addAll(List.of("--port", Integer.toString(url.getPort())));
        }
        return start(jvmOptions, again);
    }

    /** What the server wrote on standard error so far. */
    public List<String> standardError() {
        return output.errorLines();
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + pid(), e);
        }
    }

    private int awaitEnd() {
        try {
            if (!process.waitFor(END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("bank server " + pid() + " did not end: " + output.errors());
            }
            RUNNING.remove(process);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for bank server " + pid(), e);
        }
    }

    /** Kills the server if it still runs. */
    @Override
    public void close() {
        destroy(process);
    }

    private static void destroy(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
    }

    /**
     * Reads the process's standard output and error on threads of their own, so that a full pipe never blocks the
     * server, and hands the first line of output to the waiting start.
     */
    private static final class Output {
        private final CompletableFuture<String> readyLine = new CompletableFuture<>();
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final List<String> errorLines = Collections.synchronizedList(new ArrayList<>());
        private final Thread outReader;
        private final Thread errReader;

        Output(Process process) {
            outReader = drain(process.getInputStream(), lines, true);
            errReader = drain(process.getErrorStream(), errorLines, false);
        }

        private Thread drain(InputStream stream, List<String> into, boolean firstLineIsReady) {
            Thread thread = new Thread(() -> {
                try (BufferedReader reader =
                        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        into.add(line);
                        if (firstLineIsReady) {
                            readyLine.complete(line);
                        }
                    }
                } catch (IOException e) {
                    // The process ended; what was read is kept.
                }
                if (firstLineIsReady) {
                    readyLine.completeExceptionally(new IllegalStateException("standard output ended"));
                }
            });
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        /** Every line, once both streams ended (the process has ended when this is called). */
        List<String> lines() {
            join();
            return List.copyOf(lines);
        }

        List<String> errorLines() {
            return List.copyOf(errorLines);
        }

        String errors() {
            return String.join(" | ", errorLines());
        }

        private void join() {
            try {
                outReader.join(END_TIMEOUT.toMillis());
                errReader.join(END_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
