package io.clearhouse.web.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Payara Micro with the built WAR as a child process of the test, so a test can kill it with SIGKILL and start it
 * again on the same data. {@link #close()} kills it by process id whatever state the test left it in.
 */
final class PayaraMicroProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private PayaraMicroProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts Micro with the WAR at the root context, reading its settings from {@code systemProperties}. */
    static PayaraMicroProcess start(Path systemProperties, Path workDirectory) {
        return start(systemProperties, workDirectory, List.of());
    }

    /**
     * Starts Micro as {@link #start(Path, Path)} does, with {@code libraries} added to its class path beside the WAR
     * ({@code --addLibs}), as a user adds a bank adapter of their own.
     */
    static PayaraMicroProcess start(Path systemProperties, Path workDirectory, List<Path> libraries) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Djava.io.tmpdir=" + workDirectory.toAbsolutePath(),
                "-jar",
                System.getProperty("clearhouse.payara.jar"),
                "--deploy",
                System.getProperty("clearhouse.war"),
                "--contextroot",
                "/",
                "--port",
                Integer.toString(port),
                "--nocluster",
                "--rootdir",
                workDirectory.resolve("payara").toAbsolutePath().toString(),
                "--systemProperties",
                systemProperties.toAbsolutePath().toString()));
        if (!libraries.isEmpty()) {
            command.add("--addLibs");
            command.add(String.join(
                    File.pathSeparator,
                    libraries.stream()
                            .map(library -> library.toAbsolutePath().toString())
                            .toList()));
        }
        // Micro remembers deployments in its root directory and would deploy the WAR twice on a restart.
        ServerFiles.recreate(workDirectory.resolve("payara"));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            workDirectory.resolve("payara.log").toFile()))
                    .start();
            return new PayaraMicroProcess(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Payara Micro", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URL application() {
        try {
            return new URL("http://localhost:" + port + "/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for readiness, failing early if the process exits. */
    Api awaitReady(Duration timeout) throws InterruptedException {
        Api api = new Api(application());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Payara Micro exited with " + process.exitValue() + " before it was ready");
            }
            try {
                // Micro answers its own /health before the WAR's request mapping is always in place; a GET of the
                // POST-only transfers resource is answered by the application alone (405, or 401 without a token).
                if (api.getFromRoot("health/ready").status() == 200
                        && answersItself(api.get("api/transfers").status())) {
                    return api;
                }
            } catch (UncheckedIOException notListeningYet) {
                // The port opens some seconds after the process starts.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Payara Micro was not ready within " + timeout);
    }

    private static boolean answersItself(int status) {
        return status != 404 && status < 500;
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("Payara Micro (pid " + process.pid() + ") did not die");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
