package io.clearhouse.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kills the server with SIGKILL at random moments while clients send transfers, restarts it on the same banks and
 * database, and checks after every restart: every transfer a client saw committed is recorded committed, every
 * transfer is applied exactly as often as its recorded outcome says (once or never), money is conserved and no
 * branch is left prepared (nothing held). Rounds: {@code -Dcrash.runs} (10 by default; 100 for a long run). A failure
 * prints the seed.
 */
@ExtendWith(PostgresExtension.class)
class ServerCrashIT {
    private static final int CLIENTS = 16;
    private static final int ACCOUNTS_PER_BANK = 10;
    private static final long OPENING_BALANCE = 1_000_000;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private record Sent(String id, String from, String to, long amount, String body) {}

    @Test
    void everyAcknowledgedTransferSurvivesKillsAndNothingIsAppliedTwice(PostgresDatabase cluster) throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        int runs = Integer.getInteger("crash.runs", 10);
        System.out.println("ServerCrashIT seed " + seed + " (replay with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path directory = Path.of("target", "crash").toAbsolutePath();
        ServerFiles.recreate(directory);
        Map<String, Map<String, Long>> banks = banks();
        Path properties = ServerFiles.writeSystemProperties(
                directory, ServerFiles.writeBanksFile(directory, banks), cluster.createFresh());
        List<Sent> sent = new ArrayList<>();
        Map<String, String> acknowledged = new HashMap<>();
        for (int run = 1; run <= runs; run++) {
            try (PayaraMicroProcess server = PayaraMicroProcess.start(properties, directory)) {
                Api api = server.awaitReady(READY_TIMEOUT);
                checkInvariants(api, banks, sent, acknowledged, "before round " + run + ", seed " + seed);
                loadAndKill(server, api, random, run, sent, acknowledged);
            }
        }
        try (PayaraMicroProcess server = PayaraMicroProcess.start(properties, directory)) {
            Api api = server.awaitReady(READY_TIMEOUT);
            checkInvariants(api, banks, sent, acknowledged, "after the last round, seed " + seed);
            assertThat(acknowledged.values())
                    .as("transfers acknowledged in all rounds")
                    .contains("committed");
        }
    }

    private static Map<String, Map<String, Long>> banks() {
        Map<String, Map<String, Long>> banks = new LinkedHashMap<>();
        for (String bankId : List.of("1", "2", "3")) {
            Map<String, Long> accounts = new LinkedHashMap<>();
            for (int n = 0; n < ACCOUNTS_PER_BANK; n++) {
                accounts.put("c-" + bankId + "-" + n, OPENING_BALANCE);
            }
            banks.put(bankId, accounts);
        }
        return banks;
    }

    /** Clients send transfers until the server is killed at a random moment, one to three seconds in. */
    private static void loadAndKill(
            PayaraMicroProcess server,
            Api api,
            Random random,
            int run,
            List<Sent> sent,
            Map<String, String> acknowledged)
            throws InterruptedException {
        List<String> accounts = new ArrayList<>();
        banks().values().forEach(bank -> accounts.addAll(bank.keySet()));
        ConcurrentLinkedQueue<Sent> attempted = new ConcurrentLinkedQueue<>();
        Map<String, String> answers = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger committedThisRound = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            long clientSeed = random.nextLong();
            String prefix = "r" + run + "-c" + client + "-";
            Thread thread = new Thread(() -> {
                Random own = new Random(clientSeed);
                for (int n = 0; !stop.get(); n++) {
                    Sent transfer = transfer(prefix + n, accounts, own);
                    attempted.add(transfer);
                    try {
                        Api.Answer answer = api.postJson("api/transfers", transfer.body());
                        if (answer.status() == 200) {
                            String status = answer.json().get("status").textValue();
                            answers.put(transfer.id(), status);
                            if (status.equals("committed")) {
                                committedThisRound.incrementAndGet();
                            }
                        }
                    } catch (UncheckedIOException | IllegalStateException killed) {
                        return;
                    }
                }
            });
            thread.start();
            clients.add(thread);
        }
        // Not a synchronisation: the moment of the crash is the random input of this round.
        Thread.sleep(1_000 + random.nextInt(2_000));
        server.kill();
        stop.set(true);
        for (Thread client : clients) {
            client.join();
        }
        sent.addAll(attempted);
        acknowledged.putAll(answers);
    }

    private static Sent transfer(String id, List<String> accounts, Random random) {
        String from = accounts.get(random.nextInt(accounts.size()));
        String to;
        do {
            to = accounts.get(random.nextInt(accounts.size()));
        } while (to.equals(from));
        long amount = 1 + random.nextInt(1_000);
        String body =
                "{\"id\":\"" + id + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"amount\":" + amount + "}";
        return new Sent(id, from, to, amount, body);
    }

    /**
     * Reads back the recorded outcome of every transfer ever sent and checks that the banks hold exactly the opening
     * balances plus the committed ones, with nothing held.
     */
    private static void checkInvariants(
            Api api,
            Map<String, Map<String, Long>> banks,
            List<Sent> sent,
            Map<String, String> acknowledged,
            String when) {
        Map<String, Long> expected = new HashMap<>();
        banks.values().forEach(expected::putAll);
        for (Sent transfer : sent) {
            Api.Answer recorded = api.get("api/transfers/" + transfer.id());
            String seen = acknowledged.get(transfer.id());
            if (seen != null) {
                assertThat(recorded.status())
                        .as(when + ": " + transfer.id() + " was answered " + seen)
                        .isEqualTo(200);
                assertThat(recorded.json().get("status").textValue())
                        .as(when + ": " + transfer.id())
                        .isEqualTo(seen);
            }
            if (recorded.status() == 200
                    && recorded.json().get("status").textValue().equals("committed")) {
                expected.merge(transfer.from(), -transfer.amount(), Long::sum);
                expected.merge(transfer.to(), transfer.amount(), Long::sum);
            } else {
                assertThat(recorded.status()).as(when + ": " + transfer.id()).isIn(200, 404);
            }
        }
        JsonNode state = api.get("api/state").json();
        Map<String, Long> actual = new HashMap<>();
        long total = 0;
        for (String bankId : banks.keySet()) {
            for (String account : banks.get(bankId).keySet()) {
                long balance = state.get(bankId).get(account).longValue();
                actual.put(account, balance);
                total += balance;
                assertThat(api.get("api/accounts/" + account).json().get("held").longValue())
                        .as(when + ": held on " + account)
                        .isZero();
            }
        }
        assertThat(total).as(when + ": money conserved").isEqualTo(OPENING_BALANCE * expected.size());
        assertThat(actual)
                .as(when + ": balances = opening + committed transfers")
                .isEqualTo(expected);
    }
}
