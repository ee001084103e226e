package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Transfers around a ring of accounts, each to the next, from several clients of a {@link ServeUnderTest}, until a
 * kill strikes once enough answers came back, so that some transfers are in flight when it does.
 */
final class LoadUntilKill {
    private static final int CLIENTS = 8;
    private static final int TRANSFERS_PER_CLIENT_MAX = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A transfer sent, by its id. */
    record Transfer(String id, String from, String to, long amount) {}

    private LoadUntilKill() {}

    /**
     * Runs the clients until {@code answersBeforeKill} answers came back (within {@code answersTimeout}), then
     * {@code kill}, and returns every transfer sent; {@code answered} gets the status each answer gave.
     */
    static List<Transfer> run(
            ServeUnderTest serve,
            List<String> ring,
            int answersBeforeKill,
            Duration answersTimeout,
            Map<String, String> answered,
            Runnable kill)
            throws InterruptedException {
        Queue<Transfer> sent = new ConcurrentLinkedQueue<>();
        CountDownLatch enoughAnswers = new CountDownLatch(answersBeforeKill);
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            for (int client = 0; client < CLIENTS; client++) {
                List<Transfer> mine = new ArrayList<>();
                for (int n = 0; n < TRANSFERS_PER_CLIENT_MAX; n++) {
                    int from = (client + n) % ring.size();
                    mine.add(new Transfer(
                            "k" + client + "-" + n, ring.get(from), ring.get((from + 1) % ring.size()), 1 + n % 7));
                }
                clients.execute(() -> send(serve, mine, sent, answered, enoughAnswers, killed));
            }
            assertThat(enoughAnswers.await(answersTimeout.toSeconds(), TimeUnit.SECONDS))
                    .isTrue();
            kill.run();
            killed.set(true);
        } finally {
            clients.shutdownNow();
            assertThat(clients.awaitTermination(ServeUnderTest.GONE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .isTrue();
        }
        return List.copyOf(sent);
    }

    /** Sends one client's transfers in turn; {@code sent} gets each before it goes, {@code answered} its outcome. */
    private static void send(
            ServeUnderTest serve,
            List<Transfer> transfers,
            Queue<Transfer> sent,
            Map<String, String> answered,
            CountDownLatch answers,
            AtomicBoolean killed) {
        for (Transfer transfer : transfers) {
            if (killed.get()) {
                return;
            }
            sent.add(transfer);
            try {
                HttpResponse<String> response = serve.post(transfer);
                if (response.statusCode() == 200) {
                    answered.put(
                            transfer.id(),
                            JSON.readTree(response.body()).path("status").asText());
                    answers.countDown();
                }
            } catch (IOException | InterruptedException unanswered) {
                // The server was killed under this request; its outcome is whatever recovery made of it.
                return;
            }
        }
    }
}
