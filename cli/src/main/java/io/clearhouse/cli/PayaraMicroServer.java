package io.clearhouse.cli;

import io.clearhouse.bankserver.StopSignals;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Payara Micro running the Clearhouse WAR as a child process, with its output in a log file. Stopping it sends
 * SIGTERM, so Payara undeploys the application (the coordinator closes its banks and decision log), and kills it if
 * it is still there after a bound.
 */
final class PayaraMicroServer {
    static final String WAR_PROPERTY = "clearhouse.war";
    static final String PAYARA_JAR_PROPERTY = "clearhouse.payara.jar";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    /** Turns Payara's plain HTTP listener off, so that a server with TLS answers HTTPS only. */
    private static final String HTTP_LISTENER_OFF =
            "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener"
                    + ".enabled=false";

    private final Process process;
    private final int port;
    private final Optional<ServerTls> tls;

    private PayaraMicroServer(Process process, int port, Optional<ServerTls> tls) {
        this.process = process;
        this.port = port;
        this.tls = tls;
    }

    /**
     * Starts Payara Micro with the WAR at the root context on {@code port}, reading its settings from the system
     * properties file of {@code files}.
     */
    static PayaraMicroServer start(PayaraMicroFiles files, int port, List<String> jvmOptions) throws IOException {
        return start(files, port, jvmOptions, Optional.empty());
    }

    /**
     * As {@link #start(PayaraMicroFiles, int, List)}, serving HTTPS alone on {@code port} with the key of {@code tls}
     * when present; the system properties file must then name its keystore ({@link ServerTls#configure}).
     */
    static PayaraMicroServer start(PayaraMicroFiles files, int port, List<String> jvmOptions, Optional<ServerTls> tls)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Djava.io.tmpdir=" + files.scratch());
        // Payara's deployment-time check of JNDI references now and then fails to find the application's own
        // @DataSourceDefinition and aborts the deployment (seen once in about 80 starts); the coordinator looks the
        // data source up again when it starts, and retries that start.
        command.add("-Ddeployment.resource.validation=false");
        command.addAll(List.of(
                "-jar", artifact(PAYARA_JAR_PROPERTY, "payara-micro.jar").toString()));
        command.addAll(
                List.of("--deploy", artifact(WAR_PROPERTY, "clearhouse.war").toString()));
        command.addAll(List.of("--contextroot", "/", "--nocluster"));
        command.addAll(List.of("--rootdir", files.root().toString()));
        command.addAll(List.of("--systemProperties", files.systemProperties().toString()));
        // Micro remembers its deployments in its root directory and would deploy the WAR twice on the next start,
        // the remembered copy first; the directory holds nothing else worth keeping.
        deleteTree(files.scratch());
        Files.createDirectories(files.scratch());
        if (tls.isPresent()) {
            Path preBoot = files.scratch().resolve("pre-boot-commands.txt");
            Files.writeString(preBoot, HTTP_LISTENER_OFF + System.lineSeparator());
            command.addAll(List.of(
                    "--sslport", Integer.toString(port), "--sslcert", tls.get().alias()));
            command.addAll(List.of("--prebootcommandfile", preBoot.toString()));
        } else {
            command.addAll(List.of("--port", Integer.toString(port)));
        }
        Files.createDirectories(files.log().getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(files.log().toFile()))
                .start();
        return new PayaraMicroServer(process, port, tls);
    }

    /**
     * The Payara Micro processes still running on the root directory of {@code files}: those of an earlier command
     * that was killed on its own (SIGKILL of the launcher only). Its command line names the directory, so a process
     * that merely reuses an old process id never matches.
     */
    static List<ProcessHandle> leftovers(PayaraMicroFiles files) {
        return processesNaming(files.root());
    }

    /** The processes whose command line has {@code path} as one of its arguments. */
    static List<ProcessHandle> processesNaming(Path path) {
        String argument = path.toString();
        return ProcessHandle.allProcesses()
                .filter(process -> process.info()
                        .arguments()
                        .map(arguments -> List.of(arguments).contains(argument))
                        .orElse(false))
                .toList();
    }

    /** Whether a server could listen on {@code port} of every interface now. */
    static boolean isPortFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM, then SIGKILL if it has not ended within {@code timeout}; returns once it is gone. */
    static void stop(ProcessHandle process, Duration timeout) throws InterruptedException {
        stopAll(List.of(process), timeout);
    }

    /**
     * SIGTERM to all of {@code processes} at once, then SIGKILL to those that have not ended within {@code timeout};
     * returns once all are gone. Stopping them together bounds the whole by one timeout instead of one each.
     */
    static void stopAll(List<ProcessHandle> processes, Duration timeout) throws InterruptedException {
        processes.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                process.destroyForcibly();
            }
        }
        for (ProcessHandle process : processes) {
            process.onExit().join();
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** A build artifact: where the launcher says, else next to this jar's module in the source tree. */
    private static Path artifact(String property, String fileName) {
        String configured = System.getProperty(property);
        if (configured != null) {
            return Path.of(configured);
        }
        return Path.of("web", "target", fileName).toAbsolutePath();
    }

    URI baseUri() {
        return URI.create((tls.isPresent() ? "https" : "http") + "://localhost:" + port + "/");
    }

    /**
     * Polls readiness until it answers 200, then the application's own API until it answers.
     *
     * <p>Micro serves {@code /health} itself and has answered 200 there while the WAR's request mapping was still
     * being set up: the next request to the API got Micro's 503 page (docs/platform-notes.md). A GET of
     * {@code /api/transfers}, which only takes POST, costs nothing and is answered by the application alone (405, or
     * 401 without a token); a 404 or a 5xx means the mapping is not there yet.
     *
     * @return false if the process ended, a stop was requested or {@code timeout} passed first
     */
    boolean awaitReady(Duration timeout, StopSignals stop) throws InterruptedException, IOException {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls.isPresent()) {
            builder.sslContext(tls.get().trustingContext());
        }
        HttpClient client = builder.build();
        HttpRequest ready = get("/health/ready");
        HttpRequest application = get("/api/transfers");
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean healthReady = false;
        while (process.isAlive() && !stop.isRequested() && System.nanoTime() < deadline) {
            try {
                if (!healthReady) {
                    healthReady = status(client, ready) == 200;
                }
                if (healthReady && answersItself(status(client, application))) {
                    return true;
                }
            } catch (IOException notListeningYet) {
                // Micro opens its port some seconds after it starts.
            }
            // The server gives no other signal of readiness than its endpoints, so they are polled.
            process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        return false;
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(baseUri().resolve(path))
                .timeout(Duration.ofSeconds(5))
                .build();
    }

    private static int status(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** An answer from the application rather than from Micro's mapper: neither "not found" nor a server error. */
    static boolean answersItself(int status) {
        return status != 404 && status < 500;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Completes when the server process has ended, for whatever reason. */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Stops the server; see {@link #stop(ProcessHandle, Duration)}. */
    void stop(Duration timeout) throws InterruptedException {
        stop(process.toHandle(), timeout);
    }

    /** SIGKILL: a crash, with nothing flushed or undeployed; returns once the process is gone. */
    void kill() {
        process.destroyForcibly();
        process.onExit().join();
    }
}
