package io.clearhouse.bank.remote;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bank server's count of forced writes as its answers report it, from the first answer this client got (the accounts
 * of its banks, asked at open) on: what the server forced while this coordinator used it, so that forced writes per
 * transfer include those the banks made in their own process. Answers arrive out of order, so the highest count seen
 * stands. Thread-safe.
 */
final class ServerForcedWrites {
    private final AtomicLong baseline = new AtomicLong(-1);
    private final AtomicLong latest = new AtomicLong();
    private final AtomicBoolean reportClaimed = new AtomicBoolean();

    /** The count when the client first heard from the server; later calls change nothing. */
    void baseline(long forcedWrites) {
        baseline.compareAndSet(-1, forcedWrites);
        seen(forcedWrites);
    }

    void seen(long forcedWrites) {
        latest.accumulateAndGet(forcedWrites, Math::max);
    }

    long sinceBaseline() {
        long start = baseline.get();
        return start < 0 ? 0 : Math.max(0, latest.get() - start);
    }

    boolean claimReport() {
        return reportClaimed.compareAndSet(false, true);
    }
}
