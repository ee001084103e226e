package io.clearhouse.xa;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.ForwardingBank;
import io.clearhouse.spi.Xid;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * A bank that, once {@link #stopAtNextCommit armed}, stops its process at the next commit it is told: it says so on
 * the output and blocks before the commit reaches the bank, for the test to kill the process there. A transaction
 * manager tells the first commit only after every branch has prepared and it has logged its decision, so the kill
 * falls exactly between the two phases.
 */
final class BankStoppingAtCommit extends ForwardingBank {
    static final String STOPPED = "stopped at the commit of ";

    private final PrintStream out;
    private volatile boolean armed;

    BankStoppingAtCommit(BankAdapter bank, PrintStream out) {
        super(bank);
        this.out = out;
    }

    void stopAtNextCommit() {
        armed = true;
    }

    @Override
    public void commit(Xid xid) {
        if (armed) {
            out.println(STOPPED + xid.transactionId());
            out.flush();
            CountDownLatch killed = new CountDownLatch(1);
            while (true) {
                try {
                    killed.await();
                } catch (InterruptedException e) {
                    // Only SIGKILL ends this wait: a commit that went through would spoil the test.
                }
            }
        }
        real.commit(xid);
    }
}
