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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that retries a batch with its {@code Idempotency-Key} after the server died pays once: the retry after a
 * restart answers the first run's answer byte for byte; a batch whose server was killed mid-run is finished by the
 * retry, and the banks hold exactly the opening balances plus the lines the retry's answer says committed, with
 * nothing held. A failure prints the seed ({@code -Dcrash.seed} replays it).
 */
@ExtendWith(PostgresExtension.class)
class BatchRetryIT {
    private static final int ACCOUNTS_PER_BANK = 10;
    private static final long OPENING_BALANCE = 1_000_000;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private static final String BETWEEN_THE_RUNS =
            "{\"id\":\"between\",\"from\":\"r-1-0\",\"to\":\"r-2-0\",\"amount\":7}";

    private record Line(String id, String from, String to, long amount) {}

    @Test
    void aKeyedBatchIsAnsweredAcrossKillsAndRestartsAndAppliedOnce(PostgresDatabase cluster) throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("BatchRetryIT seed " + seed + " (replay with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path directory = Path.of("target", "batch-retry").toAbsolutePath();
        ServerFiles.recreate(directory);
        Map<String, Map<String, Long>> banks = banks();
        Path properties = ServerFiles.writeSystemProperties(
                directory, ServerFiles.writeBanksFile(directory, banks), cluster.createFresh());
        List<Line> answered = lines("answered", random, banks);
        List<Line> interrupted = lines("interrupted", random, banks);
        Map<String, String> answeredKey = Map.of("Idempotency-Key", "answered-" + seed);
        Map<String, String> interruptedKey = Map.of("Idempotency-Key", "interrupted-" + seed);

        Api.Answer first;
        try (PayaraMicroProcess server = PayaraMicroProcess.start(properties, directory)) {
            Api api = server.awaitReady(READY_TIMEOUT);
            first = api.post("api/batches", "text/csv", csv(answered), answeredKey);
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            server.kill();
        }
        try (PayaraMicroProcess server = PayaraMicroProcess.start(properties, directory)) {
            Api api = server.awaitReady(READY_TIMEOUT);
            // Moves money after the first answer, so that only a kept answer has the first run's final state.
            assertThat(api.postJson("api/transfers", BETWEEN_THE_RUNS)
                            .json()
                            .get("status")
                            .asText())
                    .isEqualTo("committed");
            assertThat(api.post("api/batches", "text/csv", csv(answered), answeredKey)
                            .body())
                    .as("the retry after a restart, seed " + seed)
                    .isEqualTo(first.body());
            postAndKill(server, api, csv(interrupted), interruptedKey, random);
        }
        try (PayaraMicroProcess server = PayaraMicroProcess.start(properties, directory)) {
            Api api = server.awaitReady(READY_TIMEOUT);
            Api.Answer finished = api.post("api/batches", "text/csv", csv(interrupted), interruptedKey);
            assertThat(finished.status()).as(finished.body()).isEqualTo(200);
            assertThat(api.post("api/batches", "text/csv", csv(interrupted), interruptedKey)
                            .body())
                    .as("a second retry, seed " + seed)
                    .isEqualTo(finished.body());
            assertThat(api.post("api/batches", "text/csv", csv(answered), answeredKey)
                            .body())
                    .isEqualTo(first.body());
            Map<String, Long> expected = new HashMap<>();
            banks.values().forEach(expected::putAll);
            applyCommitted(expected, answered, first.json());
            applyCommitted(expected, interrupted, finished.json());
            expected.merge("r-1-0", -7L, Long::sum);
            expected.merge("r-2-0", 7L, Long::sum);
            assertBanksHold(api, banks, expected, "seed " + seed);
        }
    }

    /** Posts a batch and kills the server at a random moment while it may still be running the batch. */
    private static void postAndKill(
            PayaraMicroProcess server, Api api, String csv, Map<String, String> key, Random random)
            throws InterruptedException {
        AtomicReference<Api.Answer> answer = new AtomicReference<>();
        Thread client = new Thread(() -> {
            try {
                answer.set(api.post("api/batches", "text/csv", csv, key));
            } catch (UncheckedIOException killed) {
                // The server died under the request: the client never learnt the outcome, and retries.
            }
        });
        client.start();
        // Not a synchronisation: the moment of the crash is the random input of this test.
        Thread.sleep(random.nextInt(400));
        server.kill();
        client.join();
    }

    private static Map<String, Map<String, Long>> banks() {
        Map<String, Map<String, Long>> banks = new LinkedHashMap<>();
        for (String bankId : List.of("1", "2", "3")) {
            Map<String, Long> accounts = new LinkedHashMap<>();
            for (int n = 0; n < ACCOUNTS_PER_BANK; n++) {
                accounts.put("r-" + bankId + "-" + n, OPENING_BALANCE);
            }
            banks.put(bankId, accounts);
        }
        return banks;
    }

    /** As many lines as the tests' servers take; one in ten asks for more than any account holds. */
    private static List<Line> lines(String prefix, Random random, Map<String, Map<String, Long>> banks) {
        List<String> accounts = new ArrayList<>();
        banks.values().forEach(bank -> accounts.addAll(bank.keySet()));
        List<Line> lines = new ArrayList<>();
        for (int n = 0; n < ServerFiles.BATCH_LINES_MAX; n++) {
            String from = accounts.get(random.nextInt(accounts.size()));
            String to;
            do {
                to = accounts.get(random.nextInt(accounts.size()));
            } while (to.equals(from));
            long amount = random.nextInt(10) == 0 ? 2 * OPENING_BALANCE : 1 + random.nextInt(1_000);
            lines.add(new Line(prefix + "-" + n, from, to, amount));
        }
        return lines;
    }

    private static String csv(List<Line> lines) {
        StringBuilder csv = new StringBuilder("transaction_id,source_account,destination_account,amount\n");
        for (Line line : lines) {
            csv.append(line.id())
                    .append(',')
                    .append(line.from())
                    .append(',')
                    .append(line.to())
                    .append(',')
                    .append(line.amount())
                    .append('\n');
        }
        return csv.toString();
    }

    private static void applyCommitted(Map<String, Long> balances, List<Line> lines, JsonNode answer) {
        JsonNode results = answer.get("results");
        assertThat(results.size()).isEqualTo(lines.size());
        for (int index = 0; index < lines.size(); index++) {
            Line line = lines.get(index);
            assertThat(results.get(index).get("transaction_id").asText()).isEqualTo(line.id());
            if (results.get(index).get("status").asText().equals("committed")) {
                balances.merge(line.from(), -line.amount(), Long::sum);
                balances.merge(line.to(), line.amount(), Long::sum);
            }
        }
    }

    private static void assertBanksHold(
            Api api, Map<String, Map<String, Long>> banks, Map<String, Long> expected, String when) {
        JsonNode state = api.get("api/state").json();
        Map<String, Long> actual = new HashMap<>();
        for (String bankId : banks.keySet()) {
            for (String account : banks.get(bankId).keySet()) {
                actual.put(account, state.get(bankId).get(account).longValue());
                assertThat(api.get("api/accounts/" + account).json().get("held").longValue())
                        .as(when + ": held on " + account)
                        .isZero();
            }
        }
        assertThat(actual.values().stream().mapToLong(Long::longValue).sum())
                .as(when + ": money conserved")
                .isEqualTo(OPENING_BALANCE * actual.size());
        assertThat(actual)
                .as(when + ": balances = opening + the committed lines the answers name")
                .isEqualTo(expected);
    }
}
