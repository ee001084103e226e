package io.clearhouse.bankserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clearhouse.bank.memory.MemoryBankGroup;
import io.clearhouse.bank.memory.MemoryBankOptions;
import io.clearhouse.spi.BankAdapter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Durable memory banks behind the bank protocol. The banks share one {@link MemoryBankGroup} in the data directory,
 * so the concurrent prepares of all of them share forced writes, and the JDK's {@link HttpServer} serves the protocol
 * on a bounded pool of threads. Requests are independent; each call is idempotent by xid, as the memory bank is.
 */
public final class BankServer implements AutoCloseable {
    /** Requests queued for a free thread before the server stops reading new ones. */
    static final int QUEUED_REQUESTS_MAX = 1_024;
    /** How long a stop waits for the requests being served. */
    static final long STOP_GRACE_MILLIS = 2_000;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private final BankServerSettings settings;
    private final MemoryBankGroup group;
    private final Map<String, BankAdapter> banks;
    private final HttpServer http;
    private final ThreadPoolExecutor executor;
    private int requestsInProgress;

    private BankServer(
            BankServerSettings settings, MemoryBankGroup group, Map<String, BankAdapter> banks, HttpServer http) {
        this.settings = settings;
        this.group = group;
        this.banks = Collections.unmodifiableMap(banks);
        this.http = http;
        // When every thread is busy and the queue full, the thread that accepts connections serves the request
        // itself, so that it stops reading new ones: back-pressure instead of a refused or dropped connection.
        this.executor = new ThreadPoolExecutor(
                settings.threads(),
                settings.threads(),
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS_MAX),
                new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /**
     * Opens (or restores) the banks of {@code initialState} in the data directory and starts serving them. A bank
     * takes its balances from {@code initialState} only when the directory holds no state of it.
     *
     * @throws IOException if the data directory cannot be created or the address cannot be bound
     */
    public static BankServer start(BankServerSettings settings, Map<String, Map<String, Long>> initialState)
            throws IOException {
        Files.createDirectories(settings.dataDirectory());
        // A client takes a commit's acknowledgement as final, so the banks answer phase two only once it is forced.
        MemoryBankGroup group = MemoryBankGroup.open(
                MemoryBankOptions.durable(settings.dataDirectory().toAbsolutePath(), settings.fsync())
                        .withPhaseTwoDurable(true));
        try {
            Map<String, BankAdapter> banks = new LinkedHashMap<>();
            initialState.forEach((bankId, balances) -> banks.put(bankId, group.bank(bankId, balances)));
            // The JDK's server leaves Nagle's algorithm on by default, so a response written in two parts (headers,
            // then body) waited for the client's delayed acknowledgement: about 40 ms a round trip. Read once, when
            // the first server of the JVM is created.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            HttpServer http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
            BankServer server = new BankServer(settings, group, banks, http);
            http.setExecutor(server.executor);
            http.createContext("/", server::handle);
            http.start();
            return server;
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /** The address a client uses, with the real port when the settings asked for any free one. */
    public URI url() {
        return URI.create("http://" + settings.host() + ":" + http.getAddress().getPort());
    }

    /** The ids of the banks served, in the order of the state file. */
    public List<String> bankIds() {
        return List.copyOf(banks.keySet());
    }

    private void handle(HttpExchange exchange) throws IOException {
        synchronized (this) {
            requestsInProgress++;
        }
        try (exchange) {
            try {
                respond(exchange, 200, route(exchange));
            } catch (RequestRefusedException e) {
                respond(exchange, e.status(), new Wire.Problem(e.reason(), e.getMessage()));
            } catch (RuntimeException e) {
                // A broken invariant in a bank is a bug: the request fails loudly, the server keeps serving others.
                e.printStackTrace();
                respond(exchange, 500, new Wire.Problem("INTERNAL_ERROR", e.toString()));
            }
        } finally {
            synchronized (this) {
                requestsInProgress--;
                notifyAll();
            }
        }
    }

    private Object route(HttpExchange exchange) throws IOException, RequestRefusedException {
        List<String> path = PathSegments.of(exchange.getRequestURI().getRawPath());
        String method = exchange.getRequestMethod();
        if (path.size() == 2 && path.get(1).equals("messages")) {
            requireMethod(method, "POST");
            List<Wire.Answer> answers = messages(exchange);
            return new Wire.MessagesResponse(answers, forcedWrites());
        }
        requireMethod(method, "GET");
        if (path.size() == 2 && path.get(1).equals("banks")) {
            return new Wire.Banks(bankIds());
        }
        if (path.size() == 2 && path.get(1).equals("accounts")) {
            return accountsOfEveryBank();
        }
        if (path.size() >= 4 && path.get(1).equals("banks")) {
            return BankReads.read(bank(path.get(2)), path.subList(3, path.size()));
        }
        throw notFound();
    }

    /** Every bank's accounts in one answer, so that a client opening many banks of this server asks once. */
    private Wire.BankAccountsList accountsOfEveryBank() {
        List<Wire.BankAccounts> accounts = new ArrayList<>(banks.size());
        banks.forEach((bankId, bank) -> accounts.add(new Wire.BankAccounts(bankId, List.copyOf(bank.accounts()))));
        return new Wire.BankAccountsList(accounts, forcedWrites());
    }

    /** The forced writes of the banks' shared log since the server started; one bank of the group reports them. */
    private long forcedWrites() {
        long forced = 0;
        for (BankAdapter bank : banks.values()) {
            forced += bank.forcedWrites();
        }
        return forced;
    }

    /**
     * Waits, up to {@link #STOP_GRACE_MILLIS}, for the requests being served to be answered. The JDK's {@code
     * HttpServer.stop(delay)} would wait out its whole delay on JDK 17 even with nothing in progress (JDK-8304065), so
     * the server counts its requests itself and stops with no delay once they are done; one cut short is harmless,
     * as every call is idempotent and the client sends it again.
     */
    private synchronized void awaitRequestsInProgress() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MILLIS);
        try {
            while (requestsInProgress > 0) {
                long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMillis <= 0) {
                    return;
                }
                wait(remainingMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static RequestRefusedException notFound() {
        return new RequestRefusedException(404, RequestRefusedException.NOT_FOUND, "no such resource");
    }

    private static void requireMethod(String method, String allowed) throws RequestRefusedException {
        if (!method.equals(allowed)) {
            throw new RequestRefusedException(
                    405, RequestRefusedException.METHOD_NOT_ALLOWED, "this resource takes " + allowed + " only");
        }
    }

    private BankAdapter bank(String bankId) throws RequestRefusedException {
        BankAdapter bank = banks.get(bankId);
        if (bank == null) {
            throw new RequestRefusedException(
                    404, RequestRefusedException.UNKNOWN_BANK, "this server hosts no bank " + bankId);
        }
        return bank;
    }

    private List<Wire.Answer> messages(HttpExchange exchange) throws IOException, RequestRefusedException {
        Wire.MessagesRequest request;
        try {
            request = JSON.readValue(body(exchange), Wire.MessagesRequest.class);
        } catch (JsonProcessingException e) {
            throw RequestRefusedException.badRequest(RequestRefusedException.MALFORMED_JSON, e.getOriginalMessage());
        }
        return MessageExecution.apply(MessageValidator.validate(request, settings), banks);
    }

    /** The request body, refused once it passes the limit, so that an oversized request costs no more than that. */
    private byte[] body(HttpExchange exchange) throws IOException, RequestRefusedException {
        try (InputStream input = exchange.getRequestBody()) {
            byte[] body = input.readNBytes(settings.requestBytesMax() + 1);
            if (body.length > settings.requestBytesMax()) {
                throw bodyTooLarge();
            }
            return body;
        }
    }

    private RequestRefusedException bodyTooLarge() {
        return RequestRefusedException.tooLarge(
                RequestRefusedException.REQUEST_TOO_LARGE,
                "the body is larger than the " + settings.requestBytesMax() + " bytes allowed");
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream output = exchange.getResponseBody()) {
            output.write(bytes);
        }
    }

    /**
     * Stops taking requests, lets those being served finish, and closes the banks, which forces what their log holds
     * lazily. Idempotent.
     */
    @Override
    public void close() {
        awaitRequestsInProgress();
        http.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<RuntimeException> failures = new ArrayList<>();
        for (BankAdapter bank : banks.values()) {
            try {
                bank.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        group.close();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
