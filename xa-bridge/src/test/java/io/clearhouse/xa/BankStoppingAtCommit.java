package io.clearhouse.xa;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A bank that, once {@link #stopAtNextCommit armed}, stops its process at the next commit it is told: it says so on
 * the output and blocks before the commit reaches the bank, for the test to kill the process there. A transaction
 * manager tells the first commit only after every branch has prepared and it has logged its decision, so the kill
 * falls exactly between the two phases.
 */
final class BankStoppingAtCommit implements BankAdapter {
    static final String STOPPED = "stopped at the commit of ";

    private final BankAdapter bank;
    private final PrintStream out;
    private volatile boolean armed;

    BankStoppingAtCommit(BankAdapter bank, PrintStream out) {
        this.bank = bank;
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
        bank.commit(xid);
    }

    @Override
    public String bankId() {
        return bank.bankId();
    }

    @Override
    public Set<String> accounts() {
        return bank.accounts();
    }

    @Override
    public Vote prepare(Xid xid, List<Posting> postings) {
        return bank.prepare(xid, postings);
    }

    @Override
    public void rollback(Xid xid) {
        bank.rollback(xid);
    }

    @Override
    public Set<Xid> recover() {
        return bank.recover();
    }

    @Override
    public Optional<AccountBalance> account(String account) {
        return bank.account(account);
    }

    @Override
    public Map<String, Long> postedBalances() {
        return bank.postedBalances();
    }

    @Override
    public void close() {
        bank.close();
    }
}
