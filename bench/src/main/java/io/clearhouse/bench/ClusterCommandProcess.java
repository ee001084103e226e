package io.clearhouse.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./clearhouse cluster} run as users run it, in a child process: its ready lines read from its standard
 * output (copied to a file), its standard error written to another. Stopping it is SIGTERM, after which the command
 * stops its nodes and bank server itself; what is left after the timeout is killed, the command's descendants
 * first. A JVM shutdown hook does the same if the benchmark is stopped early.
 */
final class ClusterCommandProcess implements AutoCloseable {
    static final Pattern NODE_READY = Pattern.compile("Node (\\S+) ready at (\\S+) \\(pid (\\d+)\\)");
    static final Pattern CLUSTER_READY = Pattern.compile("Clearhouse cluster is ready, leader (\\S+)");
    /** The command gives each node 60 s to stop, all at once, then stops the bank server. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(150);

    private static final Pattern OTHERS_HEAVY = Pattern.compile("payara-micro|failsafe|surefire");

    private final Process process;
    private final Path errorFile;
    private final CompletableFuture<URI> ready = new CompletableFuture<>();
    private final Map<String, URI> nodeUrls = new TreeMap<>();
    private final Thread stopOnExit;

    private ClusterCommandProcess(Process process, Path outputFile, Path errorFile) throws IOException {
        this.process = process;
        this.errorFile = errorFile;
        PrintWriter output = new PrintWriter(Files.newBufferedWriter(outputFile), true);
        Thread reader = new Thread(() -> readOutput(output), "cluster-output");
        reader.setDaemon(true);
        reader.start();
        this.stopOnExit = new Thread(this::stop, "cluster-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts {@code ROOT/clearhouse cluster ARGUMENTS} in {@code root}; its output goes to {@code cluster.out} and
     * {@code cluster.err} in {@code logDirectory}.
     */
    static ClusterCommandProcess start(Path root, List<String> arguments, Path logDirectory) {
        List<String> command =
                new ArrayList<>(List.of(root.resolve("clearhouse").toString(), "cluster"));
        command.addAll(arguments);
        Path errorFile = logDirectory.resolve("cluster.err");
        try {
            Files.createDirectories(logDirectory);
            Process process = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectError(errorFile.toFile())
                    .start();
            return new ClusterCommandProcess(process, logDirectory.resolve("cluster.out"), errorFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * Waits for the cluster's ready line and returns the leader's API URL it names.
     *
     * @throws IllegalStateException if the command ends or stays silent, with the end of its standard error
     */
    URI awaitReady(Duration timeout) throws InterruptedException {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "the cluster was not ready within " + timeout + "; the end of " + errorFile + ":\n" + errorTail(),
                    e);
        }
    }

    /** Every node's API URL by node id, from the ready lines printed so far. */
    synchronized Map<String, URI> nodeUrls() {
        return Map.copyOf(nodeUrls);
    }

    /** Whether {@code pid} is a process this command started (a node, its bank server). */
    boolean started(long pid) {
        return process.descendants().anyMatch(descendant -> descendant.pid() == pid);
    }

    /**
     * How many processes of others' servers and test runs (Payara Micro, Surefire, Failsafe) run on this machine now,
     * outside this cluster: a trial measured beside them measured a shared machine.
     */
    long otherHeavyProcesses() {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(other -> other.pid() != self && other.pid() != process.pid() && !started(other.pid()))
                .filter(other -> other.info()
                        .commandLine()
                        .filter(line -> OTHERS_HEAVY.matcher(line).find())
                        .isPresent())
                .count();
    }

    private void readOutput(PrintWriter output) {
        try (output;
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                output.println(line);
                noteReadyLine(line);
            }
        } catch (IOException e) {
            // The command ended; its exit is what the caller sees.
        }
        ready.completeExceptionally(new IllegalStateException("the cluster command ended"));
    }

    private synchronized void noteReadyLine(String line) {
        Matcher node = NODE_READY.matcher(line);
        if (node.matches()) {
            nodeUrls.put(node.group(1), URI.create(node.group(2)));
        }
        Matcher cluster = CLUSTER_READY.matcher(line);
        if (cluster.matches()) {
            ready.complete(URI.create(cluster.group(1)));
        }
    }

    private String errorTail() {
        try {
            List<String> lines = Files.readAllLines(errorFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** SIGTERM, which stops the whole cluster, then a kill of whatever is left after {@link #STOP_TIMEOUT}. */
    private void stop() {
        List<ProcessHandle> started = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                started.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            started.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        // Nodes the command started again after the list above was taken: none should be left, but make sure.
        started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // The JVM is shutting down and the hook runs the stop already.
            return;
        }
        stop();
    }
}
