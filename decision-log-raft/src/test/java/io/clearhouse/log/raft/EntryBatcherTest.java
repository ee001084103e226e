package io.clearhouse.log.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The batcher over a sender that behaves as Ratis' ordered client does: it completes writes under its own lock. */
class EntryBatcherTest {
    private static final int THREADS = 8;
    private static final int RECORDS_PER_THREAD = 1_000;

    /** Completes each entry later on another thread, holding the lock under which entries are also accepted. */
    private static final class LockingSender {
        private final Object window = new Object();
        private final ExecutorService replies = Executors.newFixedThreadPool(2);
        private final List<Integer> sentInOrder = new ArrayList<>();
        private final AtomicInteger inFlight = new AtomicInteger();
        private int inFlightMax;

        CompletableFuture<Void> send(List<byte[]> records) {
            CompletableFuture<Void> committed = new CompletableFuture<>();
            synchronized (window) {
                records.forEach(
                        record -> sentInOrder.add(ByteBuffer.wrap(record).getInt()));
                inFlightMax = Math.max(inFlightMax, inFlight.incrementAndGet());
            }
            replies.execute(() -> {
                synchronized (window) {
                    inFlight.decrementAndGet();
                    committed.complete(null);
                }
            });
            return committed;
        }
    }

    @Test
    void sendsEveryRecordOnceInOrderWithAFewEntriesInFlightAndNoDeadlock() throws Exception {
        LockingSender sender = new LockingSender();
        EntryBatcher batcher = new EntryBatcher(sender::send, RaftTestGroup.OPTIONS);
        AtomicInteger sequence = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(THREADS);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        Object submitOrder = new Object();
        List<Integer> submitted = new ArrayList<>();
        List<CompletableFuture<Void>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(CompletableFuture.runAsync(
                    () -> {
                        for (int i = 0; i < RECORDS_PER_THREAD; i++) {
                            synchronized (submitOrder) {
                                int next = sequence.getAndIncrement();
                                submitted.add(next);
                                CompletableFuture<Void> write = batcher.submitDurable(
                                        ByteBuffer.allocate(4).putInt(next).array());
                                synchronized (writes) {
                                    writes.add(write);
                                }
                            }
                        }
                    },
                    clients));
        }
        CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        clients.shutdown();
        sender.replies.shutdown();

        synchronized (sender.window) {
            assertThat(sender.sentInOrder)
                    .as("every record sent once, in the order submitted")
                    .isEqualTo(submitted);
            assertThat(sender.inFlightMax).isBetween(1, EntryBatcher.ENTRIES_IN_FLIGHT_MAX);
        }
    }
}
