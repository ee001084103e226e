package io.clearhouse.bank.jdbc;

import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Xid;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by xid, so that calls for one xid in this process run one after the other from reservation to XA
 * prepare, commit or rollback: an xa bank must not take a branch whose reservation is committed but whose PREPARE
 * TRANSACTION is still running for a leftover of a crash. Stripes are taken in index order, so messages of many xids
 * cannot wait for each other in a cycle; a wait longer than the limit fails the call instead of hanging it.
 */
final class XidLocks {
    static final int STRIPES = 1_024;

    private final String bankId;
    private final long waitMillis;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    XidLocks(String bankId, long waitMillis) {
        this.bankId = bankId;
        this.waitMillis = waitMillis;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Held stripes, released by {@link #close()}. */
    final class Held implements AutoCloseable {
        private final int[] indexes;
        private int locked;

        private Held(int[] indexes) {
            this.indexes = indexes;
        }

        @Override
        public void close() {
            for (int i = locked - 1; i >= 0; i--) {
                stripes[indexes[i]].unlock();
            }
            locked = 0;
        }
    }

    /**
     * Locks the stripes of {@code xids}.
     *
     * @throws BankException when a stripe is not free within the wait
     */
    Held lock(Collection<Xid> xids) {
        int[] indexes = xids.stream()
                .mapToInt(xid -> Math.floorMod(xid.hashCode(), STRIPES))
                .sorted()
                .distinct()
                .toArray();
        Held held = new Held(indexes);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        try {
            for (int index : indexes) {
                if (!stripes[index].tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new BankException(
                            bankId, "calls for the same xids held them for more than " + waitMillis + " ms");
                }
                held.locked++;
            }
            return held;
        } catch (InterruptedException e) {
            held.close();
            Thread.currentThread().interrupt();
            throw new BankException(bankId, "interrupted while waiting for calls on the same xids", e);
        } catch (BankException e) {
            held.close();
            throw e;
        }
    }
}
