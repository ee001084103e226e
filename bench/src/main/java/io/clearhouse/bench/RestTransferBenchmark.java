package io.clearhouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop REST load on a running server: each client thread posts a transfer between two accounts of different
 * banks, waits for the answer, and posts the next, over keep-alive HTTP/1.1 connections. After a warm-up, it
 * prints throughput, latency percentiles and the server's own figures (messages and forced writes per
 * transaction) read from {@code /metrics}.
 *
 * <pre>{@code bench/run.sh rest --url http://localhost:8080 --clients 64 --warmup-seconds 10 --measure-seconds 30}</pre>
 */
public final class RestTransferBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI transfers;
    /** The server of serve requires a token: {@code CLEARHOUSE_TOKEN=$(./clearhouse token --roles transfer)}. */
    private final String authorization = BenchTokens.fromEnvironment();

    private final Recorder latencyMicros = new Recorder(3);
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final AtomicBoolean stop = new AtomicBoolean();

    private RestTransferBenchmark(URI base) {
        this.transfers = base.resolve("/api/transfers");
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(
                args,
                Arguments.defaults(
                        "url", "http://localhost:8080",
                        "clients", "64",
                        "warmup-seconds", "10",
                        "measure-seconds", "30",
                        "amount", "1"));
        System.out.println("machine: " + Machine.describe());
        System.out.println("arguments: " + arguments.describe());
        URI base = URI.create(arguments.text("url"));
        RestTransferBenchmark benchmark = new RestTransferBenchmark(base);
        List<List<String>> accountsByBank = benchmark.accountsByBank(base);
        benchmark.run(
                accountsByBank,
                arguments.integer("clients"),
                arguments.longInteger("amount"),
                arguments.integer("warmup-seconds"),
                arguments.integer("measure-seconds"));
        System.out.println(benchmark.serverFigures(base));
    }

    private List<List<String>> accountsByBank(URI base) throws IOException, InterruptedException {
        JsonNode state = JSON.readTree(get(base.resolve("/api/state")));
        List<List<String>> banks = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = state.fields(); it.hasNext(); ) {
            List<String> accounts = new ArrayList<>();
            it.next().getValue().fieldNames().forEachRemaining(accounts::add);
            if (!accounts.isEmpty()) {
                banks.add(accounts);
            }
        }
        if (banks.size() < 2) {
            throw new IllegalStateException("the server needs accounts in two banks at least for cross-bank load");
        }
        return banks;
    }

    private void run(List<List<String>> banks, int clients, long amount, int warmupSeconds, int measureSeconds)
            throws InterruptedException {
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<Thread> threads = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            String prefix = "bench-" + run + "-" + client + "-";
            SplittableRandom random = new SplittableRandom(client);
            Thread thread = new Thread(() -> clientLoop(prefix, banks, amount, random), "rest-client-" + client);
            thread.start();
            threads.add(thread);
        }
        TimeUnit.SECONDS.sleep(warmupSeconds);
        latencyMicros.reset();
        long committedBefore = committed.get();
        long abortedBefore = aborted.get();
        measuring.set(true);
        long started = System.nanoTime();
        TimeUnit.SECONDS.sleep(measureSeconds);
        double seconds = (System.nanoTime() - started) / 1e9;
        var histogram = latencyMicros.getIntervalHistogram();
        long decided = committed.get() - committedBefore + aborted.get() - abortedBefore;
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.printf(
                "clients %d: %.0f transfers/s over %.1f s (%d committed, %d aborted), p50 %.2f ms, p90 %.2f ms,"
                        + " p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; failed %d%s%n",
                clients,
                decided / seconds,
                seconds,
                committed.get() - committedBefore,
                aborted.get() - abortedBefore,
                histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(90) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0,
                histogram.getValueAtPercentile(99.9) / 1000.0,
                histogram.getMaxValue() / 1000.0,
                failed.get(),
                firstFailure.get() == null ? "" : " (first: " + firstFailure.get() + ")");
    }

    private void clientLoop(String prefix, List<List<String>> banks, long amount, SplittableRandom random) {
        for (long n = 0; !stop.get(); n++) {
            int fromBank = random.nextInt(banks.size());
            int toBank = (fromBank + 1 + random.nextInt(banks.size() - 1)) % banks.size();
            String from = pick(banks.get(fromBank), random);
            String to = pick(banks.get(toBank), random);
            String body = "{\"id\":\"" + prefix + n + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"amount\":"
                    + amount + "}";
            long started = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(transfers)
                                .header("Content-Type", "application/json")
                                .header("Authorization", authorization)
                                .timeout(Duration.ofSeconds(60))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                long micros = (System.nanoTime() - started) / 1_000;
                if (response.statusCode() != 200) {
                    fail("HTTP " + response.statusCode() + ": " + response.body());
                } else {
                    latencyMicros.recordValue(micros);
                    (response.body().contains("\"committed\"") ? committed : aborted).incrementAndGet();
                }
            } catch (IOException e) {
                fail(e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String pick(List<String> accounts, SplittableRandom random) {
        return accounts.get(random.nextInt(accounts.size()));
    }

    private void fail(String description) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, description);
    }

    private String serverFigures(URI base) throws IOException, InterruptedException {
        StringBuilder figures = new StringBuilder("server:");
        for (String line : get(base.resolve("/metrics")).split("\n")) {
            if (line.startsWith("clearhouse_engine_") || line.startsWith("clearhouse_branches_in_doubt")) {
                figures.append("\n  ").append(line);
            }
        }
        return figures.toString();
    }

    private String get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
