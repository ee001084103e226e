package io.clearhouse.bank.memory;

import static io.clearhouse.bank.memory.DurableMemoryBankTest.balances;
import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableGroupCommitTest {
    private static final int THREADS = 32;
    private static final int BRANCHES_PER_THREAD = 100;

    @TempDir
    Path directory;

    @Test
    void concurrentPreparesShareForcedWritesAndAllSurviveReopen() throws Exception {
        Map<String, Long> opening = balances("a", 1_000_000L, "b", 0L);
        long forces;
        try (MemoryBankAdapter bank = MemoryBankAdapter.durable("bank-1", opening, directory, true)) {
            long forcesAtOpen = bank.forcedWrites();
            runOnThreads(() -> prepareBranches(bank));
            forces = bank.forcedWrites() - forcesAtOpen;
            assertThat(bank.recover()).hasSize(THREADS * BRANCHES_PER_THREAD);
        }
        assertThat(forces).isPositive().isLessThan(THREADS * BRANCHES_PER_THREAD / 2);
        try (MemoryBankAdapter reopened = MemoryBankAdapter.durable("bank-1", opening, directory, true)) {
            assertThat(reopened.recover()).hasSize(THREADS * BRANCHES_PER_THREAD);
            for (Xid xid : reopened.recover()) {
                reopened.commit(xid);
            }
            long moved = (long) THREADS * BRANCHES_PER_THREAD;
            assertAtRest(reopened, balances("a", 1_000_000L - moved, "b", moved));
        }
    }

    private static void prepareBranches(MemoryBankAdapter bank) {
        String thread = Thread.currentThread().getName();
        for (int i = 0; i < BRANCHES_PER_THREAD; i++) {
            Xid xid = new Xid(thread + "-" + i, "bank-1");
            List<Posting> postings = List.of(new Posting("a", -1), new Posting("b", 1));
            assertThat(bank.prepare(xid, postings)).isEqualTo(Vote.COMMIT);
        }
    }

    private static void runOnThreads(Runnable work) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                workers.add(executor.submit(() -> {
                    start.await();
                    work.run();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(120, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
