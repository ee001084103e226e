package io.clearhouse.bank.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Xid;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelXaCallsTest {
    private final ParallelXaCalls calls = new ParallelXaCalls("b", 4);

    @AfterEach
    void close() {
        calls.close();
    }

    @Test
    void theCallsOfOneMessageRunAtTheSameTime() {
        // Each call waits for all four at the barrier: made one after another, the first would time out.
        CyclicBarrier allRunning = new CyclicBarrier(4);
        Set<Xid> done = ConcurrentHashMap.newKeySet();

        calls.forEach(xids(4), xid -> {
            try {
                allRunning.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the calls did not all run at once", e);
            }
            done.add(xid);
        });

        assertThat(done).containsExactlyInAnyOrderElementsOf(xids(4));
    }

    @Test
    void aSingleCallRunsOnTheCallingThread() {
        Thread caller = Thread.currentThread();
        calls.forEach(xids(1), xid -> assertThat(Thread.currentThread()).isSameAs(caller));
    }

    @Test
    void failuresAreThrownOnceEveryCallHasEndedWithTheOthersSuppressed() {
        Set<Xid> ended = ConcurrentHashMap.newKeySet();

        assertThatThrownBy(() -> calls.forEach(xids(6), xid -> {
                    ended.add(xid);
                    if (xid.transactionId().equals("t1") || xid.transactionId().equals("t4")) {
                        throw new BankException("b", "refused " + xid.transactionId());
                    }
                }))
                .isInstanceOf(BankException.class)
                .satisfies(failure -> assertThat(failure.getSuppressed()).hasSize(1));
        assertThat(ended).hasSize(6);
    }

    @Test
    void aFailureOtherThanABanksIsWrappedInOne() {
        assertThatThrownBy(() -> calls.forEach(xids(2), xid -> {
                    throw new IllegalStateException("driver bug");
                }))
                .isInstanceOf(BankException.class)
                .hasRootCauseMessage("driver bug");
    }

    private static List<Xid> xids(int count) {
        return IntStream.range(0, count).mapToObj(i -> new Xid("t" + i, "b")).toList();
    }
}
