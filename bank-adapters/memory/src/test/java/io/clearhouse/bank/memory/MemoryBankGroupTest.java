package io.clearhouse.bank.memory;

import static io.clearhouse.bank.memory.DurableMemoryBankTest.balances;
import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.io.IOException;
import java.nio.file.Files;
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

class MemoryBankGroupTest {
    private static final int BANKS = 8;
    private static final int THREADS = 32;
    private static final int BRANCHES_PER_THREAD = 50;

    @TempDir
    Path directory;

    @Test
    void preparesOnAllBanksOfAGroupShareForcesAndSurviveReopen() throws Exception {
        long forces;
        try (MemoryBankGroup group = MemoryBankGroup.open(directory, true)) {
            List<MemoryBankAdapter> banks = new ArrayList<>();
            for (int bank = 0; bank < BANKS; bank++) {
                banks.add(group.bank(bankId(bank), balances("a" + bank, 1_000_000L)));
            }
            long forcesAtStart = group.forcedWrites();
            runOnThreads(thread -> prepareOnEveryBank(banks, thread));
            forces = group.forcedWrites() - forcesAtStart;
            assertThat(banks.stream().mapToLong(MemoryBankAdapter::forcedWrites).sum())
                    .isEqualTo(group.forcedWrites());
            banks.forEach(MemoryBankAdapter::close);
        }
        int prepares = THREADS * BRANCHES_PER_THREAD;
        assertThat(forces).isPositive().isLessThan(prepares / 2);
        try (MemoryBankGroup reopened = MemoryBankGroup.open(directory, true)) {
            int prepared = 0;
            for (int bank = 0; bank < BANKS; bank++) {
                MemoryBankAdapter restored = reopened.bank(bankId(bank), Map.of());
                prepared += restored.recover().size();
                long held = restored.account("a" + bank).orElseThrow().held();
                assertThat(held).isEqualTo(restored.recover().size());
                restored.recover().forEach(restored::commit);
                assertAtRest(restored, balances("a" + bank, 1_000_000L - held));
            }
            assertThat(prepared).isEqualTo(prepares);
        }
    }

    private static void prepareOnEveryBank(List<MemoryBankAdapter> banks, int thread) {
        for (int i = 0; i < BRANCHES_PER_THREAD; i++) {
            int bank = (thread + i) % BANKS;
            Xid xid = new Xid("t" + thread + "-" + i, bankId(bank));
            assertThat(banks.get(bank).prepare(xid, List.of(new Posting("a" + bank, -1))))
                    .isEqualTo(Vote.COMMIT);
        }
    }

    @Test
    void lazyRecordsAreForcedWhenTheLastBankClosesAndOpeningBalancesAreLoggedOnce() {
        Xid xid = new Xid("t1", "one");
        try (MemoryBankGroup group = MemoryBankGroup.open(directory, true)) {
            MemoryBankAdapter one = group.bank("one", balances("a", 10L, "b", 0L));
            MemoryBankAdapter two = group.bank("two", balances("c", 5L));
            one.prepare(xid, DurableMemoryBankTest.transfer("a", "b", 10));
            one.commit(xid);
            two.close();
            one.close();
            assertThatThrownBy(() -> group.bank("three", Map.of())).isInstanceOf(IllegalStateException.class);
        }
        try (MemoryBankGroup reopened = MemoryBankGroup.open(directory, true)) {
            MemoryBankAdapter one = reopened.bank("one", balances("a", 999L, "b", 999L));
            assertAtRest(one, balances("a", 0L, "b", 10L));
            assertThat(one.prepare(xid, DurableMemoryBankTest.transfer("a", "b", 10)))
                    .isEqualTo(Vote.COMMIT);
            assertAtRest(reopened.bank("two", Map.of()), balances("c", 5L));
        }
    }

    @Test
    void compactsTheSharedFileAndKeepsBanksThatWereNotOpenedSinceTheLastRun() throws IOException {
        MemoryBankOptions options = MemoryBankOptions.durable(directory, false).withCompactionRecordsMin(10);
        try (MemoryBankGroup group = MemoryBankGroup.open(options)) {
            MemoryBankAdapter busy = group.bank("busy", balances("a", 100L, "b", 0L));
            group.bank("idle", balances("z", 7L)).prepare(new Xid("held", "idle"), List.of(new Posting("z", -7)));
            for (int i = 0; i < 30; i++) {
                busy.prepare(new Xid("t" + i, "busy"), DurableMemoryBankTest.transfer("a", "b", 1));
                busy.commit(new Xid("t" + i, "busy"));
            }
        }
        long sizeBefore = Files.size(directory.resolve(MemoryBankGroup.FILE_NAME));
        try (MemoryBankGroup compacted = MemoryBankGroup.open(options)) {
            assertThat(Files.size(directory.resolve(MemoryBankGroup.FILE_NAME))).isLessThan(sizeBefore);
            MemoryBankAdapter busy = compacted.bank("busy", Map.of());
            assertAtRest(busy, balances("a", 70L, "b", 30L));
            assertThat(busy.prepare(new Xid("t29", "busy"), DurableMemoryBankTest.transfer("a", "b", 1)))
                    .isEqualTo(Vote.COMMIT);
            assertAtRest(busy, balances("a", 70L, "b", 30L));
        }
        try (MemoryBankGroup reopened = MemoryBankGroup.open(options)) {
            MemoryBankAdapter idle = reopened.bank("idle", Map.of());
            assertThat(idle.recover()).containsExactly(new Xid("held", "idle"));
            assertThat(idle.account("z")).contains(new AccountBalance("z", 7, 7));
        }
    }

    @Test
    void compactsTheSharedFileWhileRunningAndKeepsClosedAndUnopenedBanks() throws IOException {
        Path uncompacted = directory.resolve("uncompacted");
        long uncompactedSize = largestSizeOverTransfers(
                MemoryBankOptions.durable(uncompacted, false).withLogGrowthBytesMax(Long.MAX_VALUE));
        MemoryBankOptions compacting =
                MemoryBankOptions.durable(directory, false).withLogGrowthBytesMax(4096);
        long compactedSize = largestSizeOverTransfers(compacting);
        assertThat(compactedSize)
                .as(
                        "largest file while compacting, against the same traffic without compaction (%d bytes)",
                        uncompactedSize)
                .isLessThan(uncompactedSize / 4);
        try (MemoryBankGroup reopened = MemoryBankGroup.open(compacting)) {
            assertThat(reopened.recordsReplayed()).isLessThan(TRANSFERS_WHILE_COMPACTING / 4);
            assertAtRest(
                    reopened.bank("busy", Map.of()),
                    balances("a", 1_000_000L - TRANSFERS_WHILE_COMPACTING, "b", (long) TRANSFERS_WHILE_COMPACTING));
            MemoryBankAdapter closed = reopened.bank("closed", Map.of());
            assertThat(closed.recover()).containsExactly(new Xid("c2", "closed"));
            assertThat(closed.account("c")).contains(new AccountBalance("c", 4, 1));
            MemoryBankAdapter unopened = reopened.bank("unopened", Map.of());
            assertThat(unopened.recover()).containsExactly(new Xid("kept", "unopened"));
            assertThat(unopened.account("u")).contains(new AccountBalance("u", 5, 5));
        }
    }

    private static final int TRANSFERS_WHILE_COMPACTING = 2_000;

    /**
     * The largest size of the shared file in {@code options}' directory over a second run of its group, in which one
     * bank restored from the first run is never handed out, one is closed early with a branch prepared, and one makes
     * the transfers.
     */
    private static long largestSizeOverTransfers(MemoryBankOptions options) throws IOException {
        Path file = options.directory().orElseThrow().resolve(MemoryBankGroup.FILE_NAME);
        try (MemoryBankGroup first = MemoryBankGroup.open(options)) {
            first.bank("unopened", balances("u", 5L))
                    .prepare(new Xid("kept", "unopened"), List.of(new Posting("u", -5)));
        }
        long largest = 0;
        try (MemoryBankGroup group = MemoryBankGroup.open(options)) {
            MemoryBankAdapter busy = group.bank("busy", balances("a", 1_000_000L, "b", 0L));
            MemoryBankAdapter closed = group.bank("closed", balances("c", 9L));
            closed.prepare(new Xid("c1", "closed"), List.of(new Posting("c", -5)));
            closed.commit(new Xid("c1", "closed"));
            closed.prepare(new Xid("c2", "closed"), List.of(new Posting("c", -1)));
            closed.close();
            for (int i = 0; i < TRANSFERS_WHILE_COMPACTING; i++) {
                Xid xid = new Xid("t" + i, "busy");
                busy.prepare(xid, DurableMemoryBankTest.transfer("a", "b", 1));
                busy.commit(xid);
                largest = Math.max(largest, Files.size(file));
            }
        }
        return largest;
    }

    @Test
    void keepsEveryBanksStateWhenTheSharedFileIsCompactedUnderConcurrentLoad() throws Exception {
        MemoryBankOptions options = MemoryBankOptions.durable(directory, false).withLogGrowthBytesMax(2048);
        try (MemoryBankGroup group = MemoryBankGroup.open(options)) {
            List<MemoryBankAdapter> banks = new ArrayList<>();
            for (int bank = 0; bank < BANKS; bank++) {
                banks.add(group.bank(bankId(bank), balances("a" + bank, 1_000_000L)));
            }
            runOnThreads(thread -> prepareOnEveryBank(banks, thread));
            banks.forEach(MemoryBankAdapter::close);
        }
        try (MemoryBankGroup reopened = MemoryBankGroup.open(options)) {
            int prepared = 0;
            for (int bank = 0; bank < BANKS; bank++) {
                MemoryBankAdapter restored = reopened.bank(bankId(bank), Map.of());
                prepared += restored.recover().size();
                assertThat(restored.account("a" + bank).orElseThrow().held())
                        .isEqualTo(restored.recover().size());
            }
            assertThat(prepared).isEqualTo(THREADS * BRANCHES_PER_THREAD);
        }
    }

    @Test
    void handsOutEachBankOnceAndFailsItsCallsAfterTheGroupCloses() {
        MemoryBankAdapter bank;
        try (MemoryBankGroup group = MemoryBankGroup.open(directory, false)) {
            bank = group.bank("one", balances("a", 10L));
            assertThatThrownBy(() -> group.bank("one", Map.of())).isInstanceOf(IllegalStateException.class);
            assertThat(bank.nonBlocking()).isFalse();
            assertThat(directory.resolve(MemoryBankGroup.FILE_NAME)).isRegularFile();
            assertThat(directory.resolve(WriteAheadLog.fileName("one")))
                    .as("no file of its own")
                    .doesNotExist();
        }
        assertThatThrownBy(() -> bank.prepare(new Xid("t1", "one"), List.of(new Posting("a", -1))))
                .isInstanceOf(BankException.class);
        assertThat(bank.recover()).isEmpty();
    }

    private static String bankId(int bank) {
        return "bank-" + bank;
    }

    private interface ThreadWork {
        void run(int thread);
    }

    private static void runOnThreads(ThreadWork work) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(executor.submit(() -> {
                    start.await();
                    work.run(thread);
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
