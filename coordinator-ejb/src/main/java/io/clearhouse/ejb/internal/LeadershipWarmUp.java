package io.clearhouse.ejb.internal;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Transaction;
import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.core.engine.CoordinatorOptions;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.log.raft.RaftDecisionLog;
import io.clearhouse.log.raft.RaftDecisionNode;
import io.clearhouse.log.raft.RaftOptions;
import io.clearhouse.log.raft.RaftRehearsal;
import io.clearhouse.spi.BankAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs once, on a node of a cluster before it first leads, the code its first term as leader runs: Ratis' leader in
 * a throwaway group of its own ({@link RaftRehearsal}), the decision log opened for that leader's term, the engine
 * over that log and throwaway in-memory banks, and the recovery listing of its real banks, which only reads. A
 * fail-over waits for the new leader, and every new leader of a fail-over is a JVM that never led (the one that led
 * is the one killed): on such a node the election's end, the leader's first entry and the opening ran code not yet
 * loaded or compiled (docs/benchmarks.md, sections 13 and 15).
 */
public final class LeadershipWarmUp {
    private static final Logger LOG = Logger.getLogger(LeadershipWarmUp.class.getName());
    private static final int ACCOUNTS = 16;
    private static final int TRANSFERS = 2_000;
    private static final long WAIT_SECONDS = 60;

    private LeadershipWarmUp() {}

    /**
     * Leads the rehearsal's group and runs the engine over its log, then lists what {@code banks} hold prepared. Never throws: a warm-up that fails costs only
     * the time it would have saved.
     */
    public static void run(CoordinatorOptions options, RaftOptions raftOptions, Collection<BankAdapter> banks) {
        long started = System.nanoTime();
        try (RaftRehearsal rehearsal = RaftRehearsal.start(raftOptions)) {
            RaftDecisionNode leader = rehearsal.readyLeader(Duration.ofSeconds(WAIT_SECONDS));
            runEngine(
                    options,
                    RaftDecisionLog.open(
                            leader, raftOptions, leader.leadership().term()));
            for (BankAdapter bank : banks) {
                bank.recover();
            }
            LOG.info(() -> "warmed up for leadership in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                    + " ms");
        } catch (Exception e) {
            LOG.log(Level.INFO, "the warm-up for leadership stopped early; the first opening may be slower", e);
        }
    }

    private static void runEngine(CoordinatorOptions options, DecisionLog log) throws Exception {
        Map<String, BankAdapter> banks = new LinkedHashMap<>();
        banks.put("warm-up-a", MemoryBankAdapter.inMemory("warm-up-a", balances("warm-up-a-")));
        banks.put("warm-up-b", MemoryBankAdapter.inMemory("warm-up-b", balances("warm-up-b-")));
        EmbeddedCoordinator opened;
        try {
            opened = EmbeddedCoordinator.open(options, banks, log);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        try (EmbeddedCoordinator engine = opened) {
            List<CompletableFuture<?>> outcomes = new ArrayList<>();
            for (int i = 0; i < TRANSFERS; i++) {
                // A debit larger than the balance now and then, so the abort paths run too.
                long amount = i % 10 == 0 ? 1_000_000 : 1;
                Transaction transfer = new Transaction(
                        "warm-up-" + i,
                        List.of(
                                new Posting("warm-up-a-" + i % ACCOUNTS, -amount),
                                new Posting("warm-up-b-" + i % ACCOUNTS, amount)));
                outcomes.add(engine.submit(transfer).completion());
            }
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            engine.outcome("warm-up-0");
            engine.recoverInDoubt();
        } finally {
            for (BankAdapter bank : banks.values()) {
                bank.close();
            }
        }
    }

    private static Map<String, Long> balances(String prefix) {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            balances.put(prefix + i, 1_000L);
        }
        return balances;
    }
}
