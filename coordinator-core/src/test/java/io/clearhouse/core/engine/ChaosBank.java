package io.clearhouse.core.engine;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.ForwardingBank;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real bank reached as if over a bad network: calls take a random while, now and then far longer than a prepare
 * deadline, and some fail, before the bank saw them or after it did the work. Presented as blocking, so the engine
 * calls it from its pool, in parallel, under the prepare deadline.
 */
final class ChaosBank extends ForwardingBank {
    private static final double FAILURE_PROBABILITY = 0.03;
    private static final long LATENCY_MICROS_MAX = 2_000;
    private static final double STALL_PROBABILITY = 0.02;
    private static final long STALL_MICROS = 15_000;

    private final SplittableRandom seeds;
    private volatile boolean calm;

    ChaosBank(BankAdapter real, long seed) {
        super(real);
        this.seeds = new SplittableRandom(seed);
    }

    /** Stops injecting faults, as when the network heals. */
    void calmDown() {
        calm = true;
    }

    private SplittableRandom random() {
        synchronized (seeds) {
            return seeds.split();
        }
    }

    /** Waits a random while, then fails with the given probability. */
    private void weather(String what) {
        if (calm) {
            return;
        }
        SplittableRandom random = random();
        long latencyMicros =
                random.nextDouble() < STALL_PROBABILITY ? STALL_MICROS : random.nextLong(LATENCY_MICROS_MAX);
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(latencyMicros));
        if (random.nextDouble() < FAILURE_PROBABILITY) {
            throw new BankException(bankId(), what + " lost on the way");
        }
    }

    @Override
    public Vote prepare(Xid xid, List<Posting> postings) {
        weather("prepare");
        Vote vote = real.prepare(xid, postings);
        weather("vote");
        return vote;
    }

    @Override
    public void commit(Xid xid) {
        weather("commit");
        real.commit(xid);
        weather("commit acknowledgement");
    }

    @Override
    public void rollback(Xid xid) {
        weather("rollback");
        real.rollback(xid);
        weather("rollback acknowledgement");
    }

    @Override
    public boolean nonBlocking() {
        return false;
    }
}
