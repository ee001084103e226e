package io.clearhouse.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A light steady load on a cluster while its leader is killed: a few client threads, each posting one cross-bank
 * transfer with a fresh id at a time, as a client of a cluster should: to the leader it knows, following a 421 to the
 * leader it names, trying again after a short pause on a 503 (no leader known yet, or a leader still opening its
 * coordinator), and moving on to another node when one does not answer. A client that learns the leader tells the
 * others, so that all of them move at once.
 *
 * <p>Before a kill the benchmark asks for the first commit after it ({@link #firstCommitAfter}): the first answer
 * {@code committed} from a node other than the killed one, for a request sent after the kill.
 */
final class FailoverLoad implements AutoCloseable {
    /** When a commit was answered, by which node, and when its request was sent. */
    record FirstCommit(long receivedNanos, URI node, long sentNanos) {}

    private record Watch(URI killed, long killNanos, CompletableFuture<FirstCommit> first) {}

    private final ClusterHttp http;
    private final List<URI> nodes;
    private final int banks;
    private final int accountsPerBank;
    private final long retryPauseMillis;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder committed = new LongAdder();
    private final LongAdder aborted = new LongAdder();
    private final LongAdder misdirected = new LongAdder();
    private final LongAdder unavailable = new LongAdder();
    private final LongAdder unanswered = new LongAdder();
    private final LongAdder otherAnswers = new LongAdder();
    private final AtomicReference<String> firstOtherAnswer = new AtomicReference<>();
    private volatile URI target;
    private volatile Watch watch;
    private volatile boolean stopped;

    /**
     * @param nodes every node's API URL, the order in which a client tries the next one
     * @param leader where the clients start
     */
    FailoverLoad(ClusterHttp http, List<URI> nodes, URI leader, int banks, int accountsPerBank, long retryPauseMillis) {
        this.http = http;
        this.nodes = List.copyOf(nodes);
        this.target = leader;
        this.banks = banks;
        this.accountsPerBank = accountsPerBank;
        this.retryPauseMillis = retryPauseMillis;
    }

    void start(int clients) {
        for (int client = 0; client < clients; client++) {
            int id = client;
            Thread thread = new Thread(() -> clientLoop(id), "failover-client-" + client);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Completes with the first transfer committed by a node other than {@code killed} whose request was sent at
     * {@code killNanos} or later; replaces any earlier watch.
     */
    CompletableFuture<FirstCommit> firstCommitAfter(URI killed, long killNanos) {
        Watch next = new Watch(killed, killNanos, new CompletableFuture<>());
        watch = next;
        return next.first();
    }

    long committed() {
        return committed.sum();
    }

    /** The answers so far, by kind. */
    String counts() {
        return String.format(
                "%,d committed, %,d aborted, %,d 421, %,d 503, %,d without an answer, %,d other%s",
                committed.sum(),
                aborted.sum(),
                misdirected.sum(),
                unavailable.sum(),
                unanswered.sum(),
                otherAnswers.sum(),
                firstOtherAnswer.get() == null ? "" : " (first: " + firstOtherAnswer.get() + ")");
    }

    private void clientLoop(int client) {
        SplittableRandom random = new SplittableRandom(client);
        URI node = target;
        for (long sequence = 0; !stopped; sequence++) {
            String body = transfer("f" + runId + "-" + client + "-" + sequence, random);
            long sent = System.nanoTime();
            try {
                node = afterAnswer(node, http.transfer(node, body), sent);
            } catch (IOException e) {
                unanswered.increment();
                node = otherThan(node);
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Counts an answer and returns the node to send the next transfer to. */
    private URI afterAnswer(URI node, ClusterHttp.Answer answer, long sent) {
        switch (answer.status()) {
            case 200 -> {
                (answer.committed() ? committed : aborted).increment();
                if (answer.committed()) {
                    noteCommit(node, sent);
                }
                return node;
            }
            case 421 -> {
                misdirected.increment();
                URI leader = answer.leader().orElseGet(() -> otherThan(node));
                target = leader;
                return leader;
            }
            case 503 -> unavailable.increment();
            default -> {
                otherAnswers.increment();
                firstOtherAnswer.compareAndSet(
                        null, node + " answered " + answer.status() + " at " + Instant.now() + ": " + answer.body());
            }
        }
        pause();
        return node;
    }

    private void noteCommit(URI node, long sent) {
        long received = System.nanoTime();
        Watch current = watch;
        if (current != null && sent - current.killNanos() >= 0 && !node.equals(current.killed())) {
            current.first().complete(new FirstCommit(received, node, sent));
        }
        target = node;
    }

    /** The node the others moved to, or else the next one after {@code node} in the list. */
    private URI otherThan(URI node) {
        URI shared = target;
        if (!shared.equals(node)) {
            return shared;
        }
        URI next = nodes.get((nodes.indexOf(node) + 1) % nodes.size());
        target = next;
        return next;
    }

    private String transfer(String id, SplittableRandom random) {
        int from = random.nextInt(banks);
        int to = (from + 1 + random.nextInt(banks - 1)) % banks;
        return "{\"id\":\"" + id + "\",\"from\":\""
                + CrossBankTransfers.accountId(from, random.nextInt(accountsPerBank))
                + "\",\"to\":\"" + CrossBankTransfers.accountId(to, random.nextInt(accountsPerBank))
                + "\",\"amount\":1}";
    }

    private void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(retryPauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the clients, each after its request in flight. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
