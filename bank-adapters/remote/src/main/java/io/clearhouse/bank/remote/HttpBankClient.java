package io.clearhouse.bank.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.clearhouse.spi.BankException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The one client of a bank server, shared by every remote bank that names it. Messages wait in a queue while {@link
 * RemoteSettings#requestsInFlightMax()} requests are in flight and leave together in the next request, up to {@link
 * RemoteSettings#branchesPerRequestMax()} branches and {@link RemoteSettings#requestBytesMax()} bytes, so a thousand
 * banks under load cost a few requests per round trip, not one each.
 *
 * <p>The transport is Apache HttpClient 5, classic (blocking), over a pool of kept-alive connections with TCP_NODELAY,
 * as many as requests may be in flight. Each request is executed by one of the client's sender threads, of which
 * there are {@code requests-in-flight-max} (started when needed, ended after a minute idle): threads are bounded by
 * the configuration, not by the load, and no thread is parked per pending call, since a call is a message in the
 * queue until a sender takes it with others. Callers' stages complete on the sender thread that received the answer,
 * or on the JDK's delayer when their deadline passes first; a dependent action must therefore not wait for another
 * call of this client, or it holds a sender while the answer it waits for needs one. The blocking client was chosen
 * over the JDK's asynchronous one because each of its round trips is one thread writing and reading its own socket,
 * without the hand-offs to a selector thread and an executor that bounded the JDK client to about 1,800 requests per
 * second on two cores (see {@code docs/bank-protocol.md}).
 *
 * <p>A request's response timeout is the remaining deadline of the earliest message it carries; a connection attempt
 * is bounded by {@link RemoteSettings#timeoutMillis()}. After a request fails to connect (or the connection breaks,
 * on a fresh connection as well as on a kept-alive one, see {@link BrokenConnectionRetries}), the server is taken as
 * down: for {@link RemoteSettings#unavailableMillis()} every call fails at once with a {@link BankException}, so that
 * callers learn it in microseconds instead of each waiting for a connection attempt of its own. A request that merely
 * times out does not count: a slow server is not a down one.
 */
final class HttpBankClient implements AutoCloseable {
    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * A connection idle this long is checked before it is used again (a read of a millisecond); the server closes idle
     * ones after 30 s, and one broken sooner is retried on another connection by {@link BrokenConnectionRetries}.
     */
    private static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(1);

    /** How long an idle sender thread lives, so that a client of an idle server holds no thread. */
    private static final long SENDER_IDLE_SECONDS = 60;

    private static final byte[] REQUEST_START = "{\"messages\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REQUEST_END = "]}".getBytes(StandardCharsets.UTF_8);

    private final RemoteSettings settings;
    private final URI messagesUrl;
    private final CloseableHttpClient http;
    private final ThreadPoolExecutor senders;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int requestsInFlight;
    private long messageRequestsSent;
    private long unavailableUntilNanos;
    private String unavailableCause = "";
    private boolean closed;
    /** The server's answer to {@code GET /v1/accounts}, asked for once; asked again only after a failure. */
    private CompletableFuture<Response<Map<String, List<String>>>> accountsOfBanks;

    private final ServerForcedWrites serverForcedWrites = new ServerForcedWrites();

    /** A message waiting for its answer, already written as JSON so that a request can be bounded by its bytes. */
    private record Pending(
            String bankId, byte[] json, int branches, long deadlineNanos, CompletableFuture<Answer> answer) {}

    /** A message's answer, or the failure of the request that carried it. */
    record Answer(RemoteWire.Answer answer) {}

    /** An HTTP answer as received: its status and its body. */
    private record Reply(int status, byte[] body) {}

    /** A read's status with its body (200) or its problem (any other status). */
    record Response<T>(int status, T body, RemoteWire.Problem problem) {}

    HttpBankClient(RemoteSettings settings) {
        this.settings = settings;
        this.messagesUrl = settings.url().resolve("/v1/messages");
        this.http = httpClient(settings);
        this.senders = senders(settings);
    }

    private static CloseableHttpClient httpClient(RemoteSettings settings) {
        int connections = settings.requestsInFlightMax();
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(connections)
                .setMaxConnPerRoute(connections)
                .setDefaultSocketConfig(
                        SocketConfig.custom().setTcpNoDelay(true).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(settings.timeoutMillis()))
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(pool)
                .setRetryStrategy(new BrokenConnectionRetries(connections))
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .build();
    }

    private static ThreadPoolExecutor senders(RemoteSettings settings) {
        int threads = settings.requestsInFlightMax();
        String name = "clearhouse-remote-" + settings.url().getAuthority() + "-";
        AtomicInteger started = new AtomicInteger();
        ThreadPoolExecutor senders = new ThreadPoolExecutor(
                threads, threads, SENDER_IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, name + started.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        senders.allowCoreThreadTimeOut(true);
        return senders;
    }

    RemoteSettings settings() {
        return settings;
    }

    /**
     * Sends {@code message} in the next request that has room, and completes with its answer, or exceptionally with a
     * {@link BankException} when the request failed, the server is down, or {@code deadlineNanos} passed first.
     */
    CompletableFuture<RemoteWire.Answer> send(
            String bankId, RemoteWire.Message message, int branches, long deadlineNanos) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        BankException refusal = refusal(bankId);
        if (refusal != null) {
            return CompletableFuture.failedFuture(refusal);
        }
        long remainingNanos = deadlineNanos - System.nanoTime();
        if (remainingNanos <= 0) {
            return CompletableFuture.failedFuture(deadlinePassed(bankId));
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a message of records could not be written as JSON", e);
        }
        answer.orTimeout(remainingNanos, TimeUnit.NANOSECONDS);
        synchronized (this) {
            queue.add(new Pending(bankId, json, branches, deadlineNanos, answer));
        }
        pump();
        return answer.handle((done, failure) -> {
            if (failure == null) {
                return done.answer();
            }
            throw failure instanceof TimeoutException ? deadlinePassed(bankId) : asBankException(bankId, failure);
        });
    }

    /**
     * {@code GET} of {@code path} on the server, executed by a sender thread: its status, with the body as {@code
     * type} or the problem. Reads by path are few (the accounts when banks open, one account's balance), so they do
     * not count toward the requests in flight; a sender that is busy delays them.
     */
    <T> CompletableFuture<Response<T>> get(String bankId, String path, Class<T> type) {
        BankException refusal = refusal(bankId);
        if (refusal != null) {
            return CompletableFuture.failedFuture(refusal);
        }
        CompletableFuture<Response<T>> read = new CompletableFuture<>();
        try {
            senders.execute(() -> read(bankId, path, type, read));
        } catch (RejectedExecutionException e) {
            read.completeExceptionally(closedFailure(bankId));
        }
        return read;
    }

    private <T> void read(String bankId, String path, Class<T> type, CompletableFuture<Response<T>> read) {
        HttpGet get = new HttpGet(settings.url().resolve(path));
        Reply reply;
        try {
            reply = execute(get, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.timeoutMillis()));
        } catch (IOException | RuntimeException e) {
            noteFailure(e);
            read.completeExceptionally(asBankException(bankId, e));
            return;
        }
        try {
            read.complete(
                    reply.status() == 200
                            ? new Response<>(200, decode(bankId, reply.body(), type), null)
                            : new Response<>(reply.status(), null, problem(reply)));
        } catch (BankException e) {
            read.completeExceptionally(e);
        }
    }

    /**
     * The accounts of every bank of the server, by bank id, fetched in one request the first time a bank of the
     * server opens; later opens share that answer, since a server's banks and accounts do not change while it runs.
     * A failed or refused fetch is not kept: the next open asks again.
     */
    synchronized CompletableFuture<Response<Map<String, List<String>>>> accountsOfBanks(String bankId) {
        CompletableFuture<Response<Map<String, List<String>>>> known = accountsOfBanks;
        if (known == null
                || known.isCompletedExceptionally()
                || known.isDone() && known.join().status() != 200) {
            known = get(bankId, "/v1/accounts", RemoteWire.AccountsOfBanks.class)
                    .thenApply(this::byBank);
            accountsOfBanks = known;
        }
        return known;
    }

    private Response<Map<String, List<String>>> byBank(Response<RemoteWire.AccountsOfBanks> response) {
        if (response.status() != 200) {
            return new Response<>(response.status(), null, response.problem());
        }
        if (response.body().forcedWrites() != null) {
            serverForcedWrites.baseline(response.body().forcedWrites());
        }
        Map<String, List<String>> byBank = new HashMap<>();
        for (RemoteWire.BankAccounts bank : response.body().banks()) {
            byBank.put(bank.bank(), bank.accounts());
        }
        return new Response<>(200, byBank, null);
    }

    /** The server's forced writes since this client first asked it for its banks' accounts. */
    long serverForcedWrites() {
        return serverForcedWrites.sinceBaseline();
    }

    /**
     * Whether the caller is the one bank of this client that reports the server's forced writes, so that a sum over
     * the banks of a server counts each once; true for the first caller only.
     */
    boolean claimForcedWritesReport() {
        return serverForcedWrites.claimReport();
    }

    private void pump() {
        List<List<Pending>> requests = new ArrayList<>();
        List<Pending> refused = new ArrayList<>();
        synchronized (this) {
            if (closed || System.nanoTime() - unavailableUntilNanos < 0) {
                refused.addAll(queue);
                queue.clear();
            }
            while (requestsInFlight < settings.requestsInFlightMax() && !queue.isEmpty()) {
                List<Pending> request = takeRequest();
                if (!request.isEmpty()) {
                    requestsInFlight++;
                    messageRequestsSent++;
                    requests.add(request);
                }
            }
        }
        for (Pending pending : refused) {
            pending.answer().completeExceptionally(refusalOrDown(pending.bankId()));
        }
        requests.forEach(this::post);
    }

    /**
     * The messages of the next request, oldest first, skipping those whose callers gave up, within the bounds on
     * branches and bytes; a message that alone exceeds them goes alone, and the server judges it.
     */
    private List<Pending> takeRequest() {
        List<Pending> request = new ArrayList<>();
        int branches = 0;
        long bytes = REQUEST_START.length + REQUEST_END.length;
        while (!queue.isEmpty()) {
            Pending next = queue.peek();
            if (next.answer().isDone()) {
                queue.poll();
                continue;
            }
            boolean full = branches + next.branches() > settings.branchesPerRequestMax()
                    || bytes + next.json().length + 1 > settings.requestBytesMax();
            if (!request.isEmpty() && full) {
                break;
            }
            request.add(queue.poll());
            branches += next.branches();
            bytes += next.json().length + 1;
        }
        return request;
    }

    /** Hands a request to a sender; there is one free, since no more requests are in flight than there are senders. */
    private void post(List<Pending> request) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(REQUEST_START);
        long deadlineNanos = request.get(0).deadlineNanos();
        for (int i = 0; i < request.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(request.get(i).json());
            deadlineNanos = Math.min(deadlineNanos, request.get(i).deadlineNanos());
        }
        body.writeBytes(REQUEST_END);
        HttpPost post = new HttpPost(messagesUrl);
        post.setEntity(new ByteArrayEntity(body.toByteArray(), ContentType.APPLICATION_JSON));
        long earliestDeadlineNanos = deadlineNanos;
        try {
            senders.execute(() -> exchange(request, post, earliestDeadlineNanos));
        } catch (RejectedExecutionException e) {
            failed(request, closedFailure(request.get(0).bankId()));
        }
    }

    /** On a sender thread: the request's round trip, then its answers handed out and the next request taken. */
    private void exchange(List<Pending> request, HttpPost post, long deadlineNanos) {
        Reply reply;
        try {
            reply = execute(post, deadlineNanos);
        } catch (IOException | RuntimeException e) {
            // A runtime failure (the pool closed under the request) must reach the callers as well, or they would
            // wait for their deadline, and the request would stay counted in flight for ever.
            failed(request, e);
            return;
        }
        answered(request, reply);
    }

    /**
     * Executes {@code request} with a response timeout of what remains until {@code deadlineNanos} (at least a
     * millisecond: a zero timeout would mean none), reading the whole body, so that the connection goes back to the
     * pool before the answer is handed out.
     */
    private Reply execute(HttpUriRequestBase request, long deadlineNanos) throws IOException {
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime() + 999_999);
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.ofMilliseconds(Math.max(1, remainingMillis)))
                .setConnectionRequestTimeout(Timeout.ofMilliseconds(settings.timeoutMillis()))
                .setProtocolUpgradeEnabled(false)
                .build());
        return http.execute(request, HttpBankClient::reply);
    }

    private static Reply reply(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        return new Reply(response.getCode(), entity == null ? new byte[0] : EntityUtils.toByteArray(entity));
    }

    /**
     * Hands out the answers, then lets the next request go: the messages that the callers' dependent actions send
     * meanwhile wait in the queue and leave together, and no more requests are in flight than there are senders.
     */
    private void answered(List<Pending> request, Reply reply) {
        try {
            distribute(request, reply);
        } finally {
            requestDone();
        }
    }

    private void failed(List<Pending> request, Exception failure) {
        try {
            noteFailure(failure);
            failAll(request, failure);
        } finally {
            requestDone();
        }
    }

    private void requestDone() {
        synchronized (this) {
            requestsInFlight--;
        }
        pump();
    }

    private void distribute(List<Pending> request, Reply reply) {
        String firstBank = request.get(0).bankId();
        if (reply.status() != 200) {
            RemoteWire.Problem problem = problem(reply);
            failAll(
                    request,
                    new BankException(
                            firstBank,
                            "server " + settings.url() + " refused the request (" + reply.status() + " "
                                    + problem.reason() + "): " + problem.detail()));
            return;
        }
        RemoteWire.MessagesResponse decoded;
        try {
            decoded = decode(firstBank, reply.body(), RemoteWire.MessagesResponse.class);
        } catch (BankException e) {
            failAll(request, e);
            return;
        }
        if (decoded.forcedWrites() != null) {
            serverForcedWrites.seen(decoded.forcedWrites());
        }
        List<RemoteWire.Answer> answers = decoded.answers();
        if (answers == null || answers.size() != request.size()) {
            failAll(
                    request,
                    new BankException(
                            firstBank,
                            "server " + settings.url() + " answered " + (answers == null ? 0 : answers.size())
                                    + " messages of " + request.size()));
            return;
        }
        for (int i = 0; i < request.size(); i++) {
            request.get(i).answer().complete(new Answer(answers.get(i)));
        }
    }

    private void failAll(List<Pending> request, Throwable failure) {
        for (Pending pending : request) {
            pending.answer().completeExceptionally(asBankException(pending.bankId(), failure));
        }
    }

    /**
     * Marks the server down after a failure to connect or a broken connection (still broken after the retries on
     * other connections); a timeout says nothing of that, and neither does a failure caused by closing this client.
     */
    private void noteFailure(Throwable failure) {
        Throwable cause = unwrap(failure);
        boolean connectionFailed = cause instanceof ConnectTimeoutException
                || cause instanceof IOException && !(cause instanceof InterruptedIOException);
        if (connectionFailed) {
            synchronized (this) {
                if (!closed) {
                    unavailableUntilNanos =
                            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.unavailableMillis());
                    unavailableCause = cause.toString();
                }
            }
        }
    }

    /** Why a call is refused at once: this client is closed, or its server is taken as down; null if it is not. */
    private synchronized BankException refusal(String bankId) {
        if (closed) {
            return closedFailure(bankId);
        }
        if (System.nanoTime() - unavailableUntilNanos >= 0) {
            return null;
        }
        return new BankException(
                bankId,
                "server " + settings.url() + " is unavailable (" + unavailableCause + "); calls are refused for up to "
                        + settings.unavailableMillis() + " ms after a connection failure");
    }

    private BankException refusalOrDown(String bankId) {
        BankException refusal = refusal(bankId);
        return refusal != null ? refusal : new BankException(bankId, "server " + settings.url() + " is unavailable");
    }

    private BankException closedFailure(String bankId) {
        return new BankException(bankId, "the client of server " + settings.url() + " is closed");
    }

    /** How many {@code POST /v1/messages} requests this client has sent, for tests of the coalescing. */
    synchronized long messageRequestsSent() {
        return messageRequestsSent;
    }

    /** The nanoTime until which calls are refused; in the past when the server is taken as up. */
    synchronized long unavailableUntilNanos() {
        return unavailableUntilNanos;
    }

    BankException deadlinePassed(String bankId) {
        return new BankException(
                bankId, "no answer from " + settings.url() + " within " + settings.timeoutMillis() + " ms");
    }

    private <T> T decode(String bankId, byte[] body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new BankException(bankId, "server " + settings.url() + " answered unreadable JSON: " + e, e);
        }
    }

    private static RemoteWire.Problem problem(Reply reply) {
        try {
            RemoteWire.Problem problem = JSON.readValue(reply.body(), RemoteWire.Problem.class);
            return problem.reason() == null ? new RemoteWire.Problem("UNKNOWN", "") : problem;
        } catch (IOException e) {
            return new RemoteWire.Problem("UNKNOWN", "status " + reply.status() + " without a problem body");
        }
    }

    BankException asBankException(String bankId, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof BankException bankException) {
            return bankException;
        }
        if (cause instanceof SocketTimeoutException && !(cause instanceof ConnectTimeoutException)) {
            return deadlinePassed(bankId);
        }
        return new BankException(bankId, "request to " + settings.url() + " failed: " + cause, cause);
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Fails the messages still queued, stops the senders and closes the connections, which fails the requests in
     * flight: called when the last bank of the server closes, after which nothing waits for an answer.
     */
    @Override
    public void close() {
        List<Pending> waiting;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            waiting = new ArrayList<>(queue);
            queue.clear();
        }
        for (Pending pending : waiting) {
            pending.answer().completeExceptionally(closedFailure(pending.bankId()));
        }
        senders.shutdown();
        http.close(CloseMode.GRACEFUL);
    }
}
