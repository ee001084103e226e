package io.clearhouse.bank.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.clearhouse.spi.BankException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one client of a bank server, shared by every remote bank that names it. Messages wait in a queue while {@link
 * RemoteSettings#requestsInFlightMax()} requests are in flight and leave together in the next request, up to {@link
 * RemoteSettings#branchesPerRequestMax()} branches and {@link RemoteSettings#requestBytesMax()} bytes, so a thousand banks under load cost a few requests per round
 * trip, not one each. Nothing parks a thread per call: requests go out with {@link HttpClient#sendAsync}, and the
 * callers' stages complete from its callbacks, or from the JDK's delayer when their deadline passes first.
 *
 * <p>After a request fails to connect (or the connection breaks), the server is taken as down: for {@link
 * RemoteSettings#unavailableMillis()} every call fails at once with a {@link BankException}, so that callers learn it
 * in microseconds instead of each waiting for a connection attempt of its own. A request that merely times out does
 * not count: a slow server is not a down one.
 *
 * <p>The HTTP client runs its callbacks on its default executor, which adds threads only while others are busy; a
 * fixed pool was not used because a caller's dependent action may block on another call of this client, which with
 * every pool thread so blocked would never be answered.
 */
final class HttpBankClient {
    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final RemoteSettings settings;
    private final HttpClient http;
    private final URI messagesUrl;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int requestsInFlight;
    private long messageRequestsSent;
    private long unavailableUntilNanos;
    private String unavailableCause = "";
    /** The server's answer to {@code GET /v1/accounts}, asked for once; asked again only after a failure. */
    private CompletableFuture<Response<Map<String, List<String>>>> accountsOfBanks;

    /** A message waiting for its answer, already written as JSON so that a request can be bounded by its bytes. */
    private record Pending(String bankId, byte[] json, int branches, CompletableFuture<Answer> answer) {}

    private static final byte[] REQUEST_START = "{\"messages\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REQUEST_END = "]}".getBytes(StandardCharsets.UTF_8);

    /** A message's answer, or the failure of the request that carried it. */
    record Answer(RemoteWire.Answer answer) {}

    HttpBankClient(RemoteSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(settings.timeoutMillis()))
                .build();
        this.messagesUrl = settings.url().resolve("/v1/messages");
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
        BankException refusal = refusalIfUnavailable(bankId);
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
            queue.add(new Pending(bankId, json, branches, answer));
        }
        pump();
        return answer.handle((done, failure) -> {
            if (failure == null) {
                return done.answer();
            }
            throw failure instanceof TimeoutException ? deadlinePassed(bankId) : asBankException(bankId, failure);
        });
    }

    /** {@code GET} of {@code path} on the server: its status, with the body as {@code type} or the problem. */
    <T> CompletableFuture<Response<T>> get(String bankId, String path, Class<T> type) {
        BankException refusal = refusalIfUnavailable(bankId);
        if (refusal != null) {
            return CompletableFuture.failedFuture(refusal);
        }
        HttpRequest request = HttpRequest.newBuilder(settings.url().resolve(path))
                .timeout(Duration.ofMillis(settings.timeoutMillis()))
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
            if (failure != null) {
                noteFailure(failure);
                throw asBankException(bankId, failure);
            }
            if (response.statusCode() == 200) {
                return new Response<>(200, decode(bankId, response.body(), type), null);
            }
            return new Response<T>(response.statusCode(), null, problem(bankId, response));
        });
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
                    .thenApply(HttpBankClient::byBank);
            accountsOfBanks = known;
        }
        return known;
    }

    private static Response<Map<String, List<String>>> byBank(Response<RemoteWire.AccountsOfBanks> response) {
        if (response.status() != 200) {
            return new Response<>(response.status(), null, response.problem());
        }
        Map<String, List<String>> byBank = new HashMap<>();
        for (RemoteWire.BankAccounts bank : response.body().banks()) {
            byBank.put(bank.bank(), bank.accounts());
        }
        return new Response<>(200, byBank, null);
    }

    /** A read's status with its body (200) or its problem (any other status). */
    record Response<T>(int status, T body, RemoteWire.Problem problem) {}

    private void pump() {
        List<List<Pending>> requests = new ArrayList<>();
        List<Pending> refused = new ArrayList<>();
        synchronized (this) {
            if (System.nanoTime() - unavailableUntilNanos < 0) {
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
            pending.answer().completeExceptionally(refusalIfUnavailableOrDown(pending.bankId()));
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

    private void post(List<Pending> request) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(REQUEST_START);
        for (int i = 0; i < request.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(request.get(i).json());
        }
        body.writeBytes(REQUEST_END);
        HttpRequest httpRequest = HttpRequest.newBuilder(messagesUrl)
                .timeout(Duration.ofMillis(settings.timeoutMillis()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete((response, failure) -> answered(request, response, failure));
    }

    private void answered(List<Pending> request, HttpResponse<byte[]> response, Throwable failure) {
        synchronized (this) {
            requestsInFlight--;
        }
        try {
            if (failure != null) {
                noteFailure(failure);
                failAll(request, failure);
            } else {
                distribute(request, response);
            }
        } finally {
            pump();
        }
    }

    private void distribute(List<Pending> request, HttpResponse<byte[]> response) {
        String firstBank = request.get(0).bankId();
        if (response.statusCode() != 200) {
            RemoteWire.Problem problem = problem(firstBank, response);
            failAll(
                    request,
                    new BankException(
                            firstBank,
                            "server " + settings.url() + " refused the request (" + response.statusCode() + " "
                                    + problem.reason() + "): " + problem.detail()));
            return;
        }
        List<RemoteWire.Answer> answers;
        try {
            answers = decode(firstBank, response.body(), RemoteWire.MessagesResponse.class)
                    .answers();
        } catch (BankException e) {
            failAll(request, e);
            return;
        }
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

    /** Marks the server down after a failure to connect or a broken connection; a timeout says nothing of that. */
    private void noteFailure(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof IOException && !(cause instanceof HttpTimeoutException)
                || cause instanceof java.net.http.HttpConnectTimeoutException) {
            synchronized (this) {
                unavailableUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.unavailableMillis());
                unavailableCause = cause.toString();
            }
        }
    }

    private synchronized BankException refusalIfUnavailable(String bankId) {
        if (System.nanoTime() - unavailableUntilNanos >= 0) {
            return null;
        }
        return new BankException(
                bankId,
                "server " + settings.url() + " is unavailable (" + unavailableCause + "); calls are refused for up to "
                        + settings.unavailableMillis() + " ms after a connection failure");
    }

    private BankException refusalIfUnavailableOrDown(String bankId) {
        BankException refusal = refusalIfUnavailable(bankId);
        return refusal != null ? refusal : new BankException(bankId, "server " + settings.url() + " is unavailable");
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

    private RemoteWire.Problem problem(String bankId, HttpResponse<byte[]> response) {
        try {
            RemoteWire.Problem problem = JSON.readValue(response.body(), RemoteWire.Problem.class);
            return problem.reason() == null ? new RemoteWire.Problem("UNKNOWN", "") : problem;
        } catch (IOException e) {
            return new RemoteWire.Problem("UNKNOWN", "status " + response.statusCode() + " without a problem body");
        }
    }

    BankException asBankException(String bankId, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof BankException bankException) {
            return bankException;
        }
        if (cause instanceof HttpTimeoutException) {
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
}
