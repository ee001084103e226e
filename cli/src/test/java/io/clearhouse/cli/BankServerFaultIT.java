package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.bankserver.BankServerProcess;
import io.clearhouse.core.engine.CoordinatorOptions;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.FileDecisionLog;
import io.clearhouse.journal.JournalOptions;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterRegistry;
import io.clearhouse.spi.BankConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded coordinator against banks in two real bank-server processes, reached through the {@code remote}
 * adapter, while the servers are killed, paused and left down. After every fault the invariants are checked from the
 * banks themselves: nothing held or prepared, no negative balance, money conserved, every outcome a client was told
 * still true, and each account moved by exactly the transfers recorded committed.
 */
class BankServerFaultIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ACCOUNTS_PER_BANK = 10;
    private static final long OPENING_BALANCE = 1_000_000;
    private static final Duration AWAIT = Duration.ofSeconds(60);
    private static final List<String> FIRST_SERVER_BANKS = List.of("1", "2");
    private static final List<String> SECOND_SERVER_BANKS = List.of("3", "4");

    @TempDir
    Path directory;

    private final Map<String, Map<String, Long>> opening = new LinkedHashMap<>();
    private final TransferLedger ledger = new TransferLedger();
    private BankServerProcess first;
    private BankServerProcess second;
    private Map<String, BankAdapter> banks;
    private EmbeddedCoordinator coordinator;

    @BeforeEach
    void startServers() throws IOException {
        for (String bankId : List.of("1", "2", "3", "4")) {
            Map<String, Long> accounts = new LinkedHashMap<>();
            for (int n = 0; n < ACCOUNTS_PER_BANK; n++) {
                accounts.put("acc-" + bankId + "-" + n, OPENING_BALANCE);
            }
            opening.put(bankId, accounts);
        }
        Path state = directory.resolve("state.json");
        JSON.writeValue(state.toFile(), opening);
        first = BankServerProcess.start(state, directory.resolve("server-1"), "--banks", "1,2");
        second = BankServerProcess.start(state, directory.resolve("server-2"), "--banks", "3-4");
        banks = openRemoteBanks();
    }

    @AfterEach
    void stopEverything() {
        if (coordinator != null) {
            coordinator.close();
        }
        if (banks != null) {
            banks.values().forEach(BankAdapter::close);
        }
        first.close();
        second.close();
    }

    private Map<String, BankAdapter> openRemoteBanks() {
        BankAdapterRegistry registry = BankAdapterRegistry.load(getClass().getClassLoader());
        Map<String, BankAdapter> opened = new LinkedHashMap<>();
        for (String bankId : opening.keySet()) {
            String url =
                    (FIRST_SERVER_BANKS.contains(bankId) ? first : second).url().toString();
            opened.put(
                    bankId,
                    registry.open(
                            "remote",
                            new BankConfig(bankId, Map.of(), Map.of("url", url, "unavailable-millis", "200"))));
        }
        return opened;
    }

    private EmbeddedCoordinator openCoordinator(CoordinatorOptions options) {
        return EmbeddedCoordinator.open(
                options, banks, FileDecisionLog.open(directory.resolve("decisions.log"), JournalOptions.defaults()));
    }

    @Test
    void recoversEveryBranchWhenEachServerIsKilledUnderLoadAndRestarted() throws Exception {
        coordinator = openCoordinator(CoordinatorOptions.defaults().withPhaseTwoRetry(10, 200, 50));
        try (Load load = Load.start(coordinator, ledger, 16, new Random(7))) {
            awaitCommitted(load, 200);
            for (int round = 0; round < 2; round++) {
                boolean killFirst = round == 0;
                BankServerProcess victim = killFirst ? first : second;
                victim.kill();
                long outcomesAtKill = load.outcomes();
                await("outcomes while the server is down", () -> load.outcomes() >= outcomesAtKill + 20);
                BankServerProcess restarted = victim.restart();
                if (killFirst) {
                    first = restarted;
                } else {
                    second = restarted;
                }
                awaitCommitted(load, load.committed() + 200);
            }
        }
        assertThat(ledger.toldAborted())
                .as("transfers told aborted while a server was down")
                .isPositive();
        resolveEverythingAndCheckInvariants();
    }

    @Test
    void abortsWithTimeoutPastThePrepareDeadlineAndRollsBackTheLateVote() throws Exception {
        // The adapter's own deadline is far beyond the coordinator's, so the prepare timer decides.
        banks.values().forEach(BankAdapter::close);
        banks = openRemoteBanksWithTimeout(30_000);
        coordinator = openCoordinator(CoordinatorOptions.defaults().withPrepareTimeoutMillis(1_000));
        second.pause();
        List<CompletableFuture<Outcome>> crossing = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            crossing.add(submit("paused-" + n, "acc-1-" + (n % ACCOUNTS_PER_BANK), "acc-3-" + (n % 10), 5));
        }
        Outcome local = submit("local", "acc-1-0", "acc-2-0", 7).get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        for (CompletableFuture<Outcome> outcome : crossing) {
            assertThat(outcome.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS).reason())
                    .isEqualTo(Reason.TIMEOUT);
        }
        assertThat(local.isCommitted())
                .as("a transfer between the banks still answering")
                .isTrue();
        second.resume();
        BankAdapter paused = banks.get("3");
        await("the late votes rolled back", () -> paused.recover().isEmpty() && nothingHeld(paused));
        resolveEverythingAndCheckInvariants();
    }

    @Test
    void failsFastWhileAServerIsDownAndResolvesItsBranchesInDoubtOnceItIsBack() throws Exception {
        coordinator = openCoordinator(
                CoordinatorOptions.defaults().withPrepareTimeoutMillis(1_000).withPhaseTwoRetry(10, 50, 3));
        second.kill();
        for (int n = 0; n < 10; n++) {
            long startNanos = System.nanoTime();
            Outcome outcome =
                    submit("down-" + n, "acc-1-" + n, "acc-4-" + n, 3).get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
            long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
            assertThat(outcome.reason()).isEqualTo(Reason.BANK_UNAVAILABLE);
            assertThat(elapsedMillis)
                    .as("BANK_UNAVAILABLE well before the prepare deadline")
                    .isLessThan(900);
        }
        second = second.restart();
        // A branch whose rollback cannot reach its bank: prepared at the paused server, which is killed before it
        // hears the rollback. Phase two gives up after its attempts and hands the branch to recovery.
        await("the restarted server answering", () -> submitQuietly("probe", "acc-3-0", "acc-4-0", 1));
        // A probe's outcome is told at its decision, before its banks acknowledge the commit: pausing the server
        // before they have applied it would leave the probe in doubt too, beside the transaction meant to be.
        await(
                "the probe's commit applied",
                () -> banks.get("3").recover().isEmpty()
                        && banks.get("4").recover().isEmpty());
        second.pause();
        Outcome timedOut = submit("in-doubt", "acc-2-1", "acc-3-1", 11).get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(timedOut.reason()).isEqualTo(Reason.TIMEOUT);
        second.kill();
        await("the branch handed to recovery", () -> coordinator.inDoubtBranches() > 0);
        assertThat(coordinator.inDoubtTransactions()).singleElement().satisfies(transaction -> {
            assertThat(transaction.clientId()).isEqualTo("in-doubt");
            assertThat(transaction.commit()).isFalse();
            assertThat(transaction.branches()).extracting(xid -> xid.bankId()).containsExactly("3");
        });
        assertThat(coordinator.recoverInDoubt().stillInDoubt())
                .as("a pass while the bank is down")
                .isPositive();
        assertThat(coordinator.inDoubtBranches()).isEqualTo(1);
        second = second.restart();
        resolveEverythingAndCheckInvariants();
    }

    private BankServerProcess serverOf(String bankId) {
        return FIRST_SERVER_BANKS.contains(bankId) ? first : second;
    }

    private Map<String, BankAdapter> openRemoteBanksWithTimeout(long timeoutMillis) {
        BankAdapterRegistry registry = BankAdapterRegistry.load(getClass().getClassLoader());
        Map<String, BankAdapter> opened = new LinkedHashMap<>();
        for (String bankId : opening.keySet()) {
            opened.put(
                    bankId,
                    registry.open(
                            "remote",
                            new BankConfig(
                                    bankId,
                                    Map.of(),
                                    Map.of(
                                            "url", serverOf(bankId).url().toString(),
                                            "timeout-millis", Long.toString(timeoutMillis)))));
        }
        return opened;
    }

    private CompletableFuture<Outcome> submit(String id, String from, String to, long amount) {
        ledger.sent(new TransferLedger.Sent(id, from, to, amount));
        return coordinator
                .submit(Transaction.transfer(id, from, to, amount))
                .outcome()
                .thenApply(outcome -> {
                    ledger.told(outcome);
                    return outcome;
                });
    }

    /** Whether a fresh transfer between the two banks commits now; each try has its own id. */
    private final AtomicLong probes = new AtomicLong();

    private boolean submitQuietly(String prefix, String from, String to, long amount) {
        try {
            return submit(prefix + "-" + probes.incrementAndGet(), from, to, amount)
                    .get(AWAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .isCommitted();
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private static boolean nothingHeld(BankAdapter bank) {
        return bank.postedBalances().keySet().stream()
                .allMatch(account -> bank.account(account).orElseThrow().held() == 0);
    }

    /**
     * Resolves what the faults left (recovery passes until nothing is in doubt), then reopens the coordinator over the
     * same decision log, which runs recovery at open, and checks the invariants against the banks.
     */
    private void resolveEverythingAndCheckInvariants() throws InterruptedException {
        await("every branch in doubt resolved", () -> {
            coordinator.recoverInDoubt();
            return coordinator.inDoubtBranches() == 0;
        });
        coordinator.close();
        coordinator = openCoordinator(CoordinatorOptions.defaults());
        await("no bank holding a prepared branch", () -> {
            coordinator.recoverInDoubt();
            return banks.values().stream().allMatch(bank -> bank.recover().isEmpty());
        });
        ledger.assertInvariants(coordinator, banks, opening);
    }

    private static void awaitCommitted(Load load, long committed) throws InterruptedException {
        await("at least " + committed + " transfers committed", () -> load.committed() >= committed);
    }

    /** Polls {@code condition} until it holds; fails the test, naming {@code what}, when it does not in time. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Client threads that send cross-bank transfers, each waiting for its outcome, until closed. */
    private static final class Load implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong committed = new AtomicLong();
        private final AtomicLong outcomes = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();

        static Load start(EmbeddedCoordinator coordinator, TransferLedger ledger, int clients, Random seeds) {
            Load load = new Load();
            for (int client = 0; client < clients; client++) {
                long seed = seeds.nextLong();
                String prefix = "c" + client + "-";
                Thread thread = new Thread(() -> load.send(coordinator, ledger, prefix, new Random(seed)));
                thread.setName("fault-client-" + client);
                load.threads.add(thread);
                thread.start();
            }
            return load;
        }

        private void send(EmbeddedCoordinator coordinator, TransferLedger ledger, String prefix, Random random) {
            for (long n = 0; running.get(); n++) {
                int fromBank = 1 + random.nextInt(4);
                int toBank = 1 + (fromBank + random.nextInt(3)) % 4;
                String from = "acc-" + fromBank + "-" + random.nextInt(ACCOUNTS_PER_BANK);
                String to = "acc-" + toBank + "-" + random.nextInt(ACCOUNTS_PER_BANK);
                long amount = 1 + random.nextInt(100);
                String id = prefix + n;
                ledger.sent(new TransferLedger.Sent(id, from, to, amount));
                try {
                    Outcome outcome = coordinator
                            .submit(Transaction.transfer(id, from, to, amount))
                            .outcome()
                            .get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
                    ledger.told(outcome);
                    outcomes.incrementAndGet();
                    if (outcome.isCommitted()) {
                        committed.incrementAndGet();
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // The client heard nothing definite; the invariants read this transfer's outcome from the log.
                    outcomes.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        long committed() {
            return committed.get();
        }

        long outcomes() {
            return outcomes.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(AWAIT.toMillis());
            }
        }
    }
}
