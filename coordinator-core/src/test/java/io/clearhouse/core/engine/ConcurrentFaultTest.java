package io.clearhouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Submission;
import io.clearhouse.core.log.DecisionLogStorage;
import io.clearhouse.spi.BankAdapter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The production runtime under concurrent clients and a bad network: real memory banks behind {@link ChaosBank}s,
 * short prepare deadlines, failing calls and few phase-two attempts. Whatever each client was told, a restart's
 * recovery must leave balances that match exactly the outcomes given, with nothing held or prepared.
 */
class ConcurrentFaultTest {
    private static final int CLIENTS = 6;
    private static final int TRANSFERS_PER_CLIENT = 150;
    /** Deadlines short enough that some prepares miss them, with room for the rest to make it. */
    private static final CoordinatorOptions OPTIONS = CoordinatorOptions.defaults()
            .withPrepareTimeoutMillis(5)
            .withPhaseTwoRetry(1, 4, 3)
            .withThreads(32)
            .withInFlightMax(12)
            .withCloseTimeoutMillis(5_000);

    @Test
    void outcomesMatchBalancesAfterRecoveryWhateverTheNetworkDid() throws Exception {
        try (BankCluster cluster = BankCluster.inMemory(BankCluster.twoBanks())) {
            Map<String, BankAdapter> chaotic = new LinkedHashMap<>();
            List<ChaosBank> chaosBanks = new ArrayList<>();
            long seed = 1;
            for (BankAdapter bank : cluster.banks().values()) {
                ChaosBank chaos = new ChaosBank(bank, seed++);
                chaosBanks.add(chaos);
                chaotic.put(bank.bankId(), chaos);
            }
            DecisionLogStorage storage = new DecisionLogStorage();
            EmbeddedCoordinator coordinator = EmbeddedCoordinator.open(OPTIONS, chaotic, storage.open());
            Map<String, Transaction> sent = new ConcurrentHashMap<>();
            Map<String, Submission> submissions = submitConcurrently(coordinator, sent);
            Map<String, Outcome> told = awaitOutcomes(submissions);
            coordinator.close();

            chaosBanks.forEach(ChaosBank::calmDown);
            EmbeddedCoordinator.open(OPTIONS, chaotic, storage.open()).close();

            assertBalancesMatch(cluster, told, sent);
            cluster.assertInvariants();
            assertThat(told.values()).anyMatch(Outcome::isCommitted);
            assertThat(told.values()).anyMatch(outcome -> outcome.reason() == Reason.TIMEOUT);
            assertThat(told.values()).anyMatch(outcome -> outcome.reason() == Reason.BANK_UNAVAILABLE);
        }
    }

    private static Map<String, Submission> submitConcurrently(
            EmbeddedCoordinator coordinator, Map<String, Transaction> sent) throws InterruptedException {
        List<String> accounts = List.of("a1", "a2", "b1", "b2");
        Map<String, Submission> submissions = new ConcurrentHashMap<>();
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            SplittableRandom random = new SplittableRandom(100 + client);
            String prefix = "c" + client + "-";
            clients.add(new Thread(() -> {
                for (int i = 0; i < TRANSFERS_PER_CLIENT; i++) {
                    int from = random.nextInt(4);
                    int to = (from + 1 + random.nextInt(3)) % 4;
                    Transaction transfer = Transaction.transfer(
                            prefix + i, accounts.get(from), accounts.get(to), 1 + random.nextInt(20));
                    sent.put(transfer.id(), transfer);
                    submissions.put(transfer.id(), coordinator.submit(transfer));
                }
            }));
        }
        clients.forEach(Thread::start);
        for (Thread client : clients) {
            client.join();
        }
        return submissions;
    }

    /** The outcome each client was told; a failed outcome future means it was told nothing. */
    private static Map<String, Outcome> awaitOutcomes(Map<String, Submission> submissions) {
        Map<String, Outcome> told = new HashMap<>();
        submissions.forEach((clientId, submission) -> {
            try {
                told.put(clientId, submission.outcome().get(30, TimeUnit.SECONDS));
                submission.completion().exceptionally(failure -> null).get(30, TimeUnit.SECONDS);
            } catch (CompletionException | java.util.concurrent.ExecutionException e) {
                throw new AssertionError("no outcome for " + clientId, e);
            } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("outcome of " + clientId + " never came", e);
            }
        });
        return told;
    }

    private static void assertBalancesMatch(
            BankCluster cluster, Map<String, Outcome> told, Map<String, Transaction> sent) {
        Map<String, Long> expected = new HashMap<>();
        BankCluster.twoBanks().values().forEach(expected::putAll);
        told.forEach((clientId, outcome) -> {
            if (outcome.isCommitted()) {
                for (Posting posting : sent.get(clientId).postings()) {
                    expected.merge(posting.account(), posting.amount(), Long::sum);
                }
            }
        });
        expected.forEach((account, balance) ->
                assertThat(cluster.posted(account)).as("balance of " + account).isEqualTo(balance));
    }
}
