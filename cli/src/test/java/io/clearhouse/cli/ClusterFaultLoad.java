package io.clearhouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.api.Outcome;
import io.clearhouse.auth.SigningKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Client threads that send transfers between accounts of different banks to a cluster over HTTP, as a careful client
 * would: each transfer starts at the client's home node, follows a {@code 421} to the leader it names, and is sent
 * again with the same id, to the next node in turn, after a {@code 503}, a {@code 421} without a way on, or a
 * connection that failed, until it gets its outcome or the load stops. Every answer is recorded ({@link Reply}), and
 * every transfer sent and every outcome told goes into the {@link TransferLedger}. An account that opens empty is
 * only ever debited, so every transfer from it aborts ({@code INSUFFICIENT_FUNDS}) and aborts are seen throughout.
 */
final class ClusterFaultLoad implements AutoCloseable {
    /** How long a client waits for one answer: beyond the server's own reply timeout (30 s). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);
    /** A client's pause before it sends a transfer again after a 503 or a failed connection. */
    private static final long RETRY_PAUSE_MILLIS = 100;

    private static final int REDIRECTS_MAX = 2;
    private static final int UNEXPECTED_BODY_CHARS = 300;
    private static final long AMOUNT_MAX = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One answer a client got, or the lack of one.
     *
     * @param transferId the transfer's id
     * @param node the API URL the request went to
     * @param sentNanos when it was sent ({@link System#nanoTime()})
     * @param answeredNanos when the answer or the failure came
     * @param status the HTTP status; 0 when the connection failed, the answer did not come in time, or the node's
     *     container answered because its application was not deployed yet
     * @param outcome the outcome a 200 told
     * @param unexpected the start of the body of an answer other than 200, 421 or 503, for a failure's message
     */
    record Reply(
            String transferId,
            URI node,
            long sentNanos,
            long answeredNanos,
            int status,
            Optional<Outcome> outcome,
            Optional<String> unexpected) {
        boolean toldCommitted() {
            return outcome.filter(Outcome::isCommitted).isPresent();
        }
    }

    private final List<URI> nodes;
    private final TransferLedger ledger;
    private final List<List<String>> accountsByBank;
    private final List<List<String>> fundedAccountsByBank;
    private final HttpClient http;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong committed = new AtomicLong();
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    private ClusterFaultLoad(
            List<URI> nodes, SigningKeys keys, TransferLedger ledger, Map<String, Map<String, Long>> opening) {
        this.nodes = List.copyOf(nodes);
        this.http = ClusterFaultNodes.client(keys);
        this.ledger = ledger;
        this.accountsByBank = opening.values().stream()
                .map(accounts -> List.copyOf(accounts.keySet()))
                .toList();
        this.fundedAccountsByBank = opening.values().stream()
                .map(accounts -> accounts.entrySet().stream()
                        .filter(account -> account.getValue() > 0)
                        .map(Map.Entry::getKey)
                        .toList())
                .toList();
    }

    /**
     * Starts {@code clients} threads; client c's home is node {@code c % nodes}, its ids {@code PREFIX-cC-N}.
     *
     * @param opening the banks and their accounts, by bank: a transfer goes from one bank to another
     */
    static ClusterFaultLoad start(
            List<URI> nodes,
            SigningKeys keys,
            TransferLedger ledger,
            Map<String, Map<String, Long>> opening,
            int clients,
            String idPrefix,
            long seed) {
        ClusterFaultLoad load = new ClusterFaultLoad(nodes, keys, ledger, opening);
        Random seeds = new Random(seed);
        for (int client = 0; client < clients; client++) {
            Random random = new Random(seeds.nextLong());
            int home = client % nodes.size();
            String prefix = idPrefix + "-c" + client + "-";
            Thread thread = new Thread(() -> load.send(home, prefix, random), "cluster-fault-client-" + client);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void send(int home, String prefix, Random random) {
        for (long n = 0; running.get(); n++) {
            int fromBank = random.nextInt(accountsByBank.size());
            int toBank = (fromBank + 1 + random.nextInt(accountsByBank.size() - 1)) % accountsByBank.size();
            TransferLedger.Sent transfer = new TransferLedger.Sent(
                    prefix + n,
                    pick(accountsByBank.get(fromBank), random),
                    pick(fundedAccountsByBank.get(toBank), random),
                    1 + random.nextInt((int) AMOUNT_MAX));
            ledger.sent(transfer);
            try {
                sendUntilAnswered(home, transfer).ifPresent(outcome -> {
                    ledger.told(outcome);
                    if (outcome.isCommitted()) {
                        committed.incrementAndGet();
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String pick(List<String> accounts, Random random) {
        return accounts.get(random.nextInt(accounts.size()));
    }

    /** Sends {@code transfer} until a node answers its outcome; empty if the load stopped first. */
    private Optional<Outcome> sendUntilAnswered(int home, TransferLedger.Sent transfer) throws InterruptedException {
        String body = JSON.createObjectNode()
                .put("id", transfer.id())
                .put("from", transfer.from())
                .put("to", transfer.to())
                .put("amount", transfer.amount())
                .toString();
        for (int attempt = 0; running.get(); attempt++) {
            Optional<Outcome> outcome = attempt(nodes.get((home + attempt) % nodes.size()), transfer.id(), body);
            if (outcome.isPresent()) {
                return outcome;
            }
            // A 503, a failed connection, or a leader that does not lead: the same id again, after a pause.
            Thread.sleep(RETRY_PAUSE_MILLIS);
        }
        return Optional.empty();
    }

    /** One attempt: the request to {@code target}, then to the leader each {@code 421} names, a few at most. */
    private Optional<Outcome> attempt(URI target, String transferId, String body) throws InterruptedException {
        URI node = target;
        for (int redirect = 0; redirect <= REDIRECTS_MAX; redirect++) {
            Answer answer = post(node, transferId, body);
            replies.add(answer.reply());
            if (answer.reply().outcome().isPresent() || answer.leader().isEmpty()) {
                return answer.reply().outcome();
            }
            node = answer.leader().get();
        }
        return Optional.empty();
    }

    /** A reply, and the leader a {@code 421} named. */
    private record Answer(Reply reply, Optional<URI> leader) {}

    private Answer post(URI node, String transferId, String body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node + "/transfers"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long sent = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException noAnswer) {
            // Refused, reset by a killed node, or too slow: the outcome is unknown and the same id goes again.
            return new Answer(
                    new Reply(transferId, node, sent, System.nanoTime(), 0, Optional.empty(), Optional.empty()),
                    Optional.empty());
        }
        long answered = System.nanoTime();
        int status = fromContainer(response) ? 0 : response.statusCode();
        Optional<Outcome> outcome =
                status == 200 ? Optional.of(ClusterFaultNodes.parseOutcome(response.body())) : Optional.empty();
        outcome.ifPresent(told -> {
            if (!told.transactionId().equals(transferId)) {
                throw new AssertionError("the answer to " + transferId + " is about " + told.transactionId());
            }
        });
        Optional<String> unexpected = List.of(0, 200, 421, 503).contains(status)
                ? Optional.empty()
                : Optional.of(response.headers().firstValue("Content-Type").orElse("") + " "
                        + response.body().substring(0, Math.min(response.body().length(), UNEXPECTED_BODY_CHARS)));
        return new Answer(
                new Reply(transferId, node, sent, answered, status, outcome, unexpected),
                status == 421 ? leaderNamedIn(response.body()) : Optional.empty());
    }

    /**
     * Whether the answer came from the container of a node whose application is not deployed yet (or no more):
     * Payara opens its port before it deploys and answers 404 or 500 with a page of its own, while every answer of
     * the application is JSON, a problem document for an error.
     */
    private static boolean fromContainer(HttpResponse<String> response) {
        return !response.headers().firstValue("Content-Type").orElse("").contains("json");
    }

    private static Optional<URI> leaderNamedIn(String body) {
        try {
            JsonNode leader = JSON.readTree(body).path("leader");
            return leader.isTextual() ? Optional.of(URI.create(leader.asText())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The transfers told committed so far. */
    long committed() {
        return committed.get();
    }

    /** The replies so far that {@code wanted} selects. */
    List<Reply> replies(Predicate<Reply> wanted) {
        return replies.stream().filter(wanted).toList();
    }

    /**
     * The replies to requests sent after {@code sinceNanos}, counted by node and status with their slowest answer, on
     * lines of their own: for a failure's message, to tell a slow majority from clients stuck at one node.
     */
    String describeSince(long sinceNanos) {
        Map<String, long[]> countAndSlowest = new TreeMap<>();
        for (Reply reply : replies) {
            if (reply.sentNanos() - sinceNanos > 0) {
                long[] entry =
                        countAndSlowest.computeIfAbsent(reply.node() + " status " + reply.status(), key -> new long[2]);
                entry[0]++;
                entry[1] = Math.max(entry[1], reply.answeredNanos() - reply.sentNanos());
            }
        }
        StringBuilder text = new StringBuilder();
        countAndSlowest.forEach((key, entry) -> text.append(
                String.format("%n  %s: %d replies, the slowest after %d ms", key, entry[0], entry[1] / 1_000_000)));
        return text.toString();
    }

    /** How many transfers {@code node} told committed in answers sent after {@code sinceNanos}. */
    long committedBy(URI node, long sinceNanos) {
        return replies.stream()
                .filter(reply -> reply.node().equals(node) && reply.sentNanos() - sinceNanos > 0)
                .filter(Reply::toldCommitted)
                .count();
    }

    /**
     * Stops the clients: each gives up the transfer it is sending (its outcome is read from the cluster later) and
     * ends once its request in progress is answered or times out.
     */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(REQUEST_TIMEOUT.toMillis() * 2);
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not stop");
            }
        }
    }
}
