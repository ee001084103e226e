package io.clearhouse.xa;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.ForwardingBank;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A bank that, once armed for a phase, stops its process at the next prepare or commit it is told: it says so on the
 * output and blocks before the call reaches the bank, for the test to kill the process there. A transaction manager
 * tells the first commit only after every branch has prepared and it has logged its decision, so a stop at the commit
 * falls exactly between the two phases; a stop at the prepare of the second bank falls after the first has prepared
 * and before anything is logged.
 */
final class BankStoppingInPhase extends ForwardingBank {
    static final String STOPPED = "stopped at the call of ";

    enum Phase {
        PREPARE,
        COMMIT
    }

    private final PrintStream out;
    private volatile Phase armed;

    BankStoppingInPhase(BankAdapter bank, PrintStream out) {
        super(bank);
        this.out = out;
    }

    void stopAtNext(Phase phase) {
        armed = phase;
    }

    @Override
    public Vote prepare(Xid xid, List<Posting> postings) {
        stopIfArmedFor(Phase.PREPARE, xid);
        return real.prepare(xid, postings);
    }

    @Override
    public void commit(Xid xid) {
        stopIfArmedFor(Phase.COMMIT, xid);
        real.commit(xid);
    }

    private void stopIfArmedFor(Phase phase, Xid xid) {
        if (armed != phase) {
            return;
        }
        out.println(STOPPED + xid.transactionId());
        out.flush();
        CountDownLatch killed = new CountDownLatch(1);
        while (true) {
            try {
                killed.await();
            } catch (InterruptedException e) {
                // Only SIGKILL ends this wait: a call that went through would spoil the test.
            }
        }
    }
}
