package io.clearhouse.core.engine;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A bank that passes every call to a real one; fault-injecting test banks override only the calls they break, so
 * what they do not break is certainly the real bank's behaviour.
 */
abstract class ForwardingBank implements BankAdapter {
    protected final BankAdapter real;

    ForwardingBank(BankAdapter real) {
        this.real = real;
    }

    @Override
    public Vote prepare(Xid xid, List<Posting> postings) {
        return real.prepare(xid, postings);
    }

    @Override
    public void commit(Xid xid) {
        real.commit(xid);
    }

    @Override
    public void rollback(Xid xid) {
        real.rollback(xid);
    }

    @Override
    public boolean nonBlocking() {
        return real.nonBlocking();
    }

    @Override
    public boolean gathersBranchesItself() {
        return real.gathersBranchesItself();
    }

    @Override
    public String bankId() {
        return real.bankId();
    }

    @Override
    public Set<String> accounts() {
        return real.accounts();
    }

    @Override
    public Set<Xid> recover() {
        return real.recover();
    }

    @Override
    public Optional<AccountBalance> account(String account) {
        return real.account(account);
    }

    @Override
    public Map<String, Long> postedBalances() {
        return real.postedBalances();
    }

    @Override
    public long forcedWrites() {
        return real.forcedWrites();
    }

    @Override
    public void close() {
        real.close();
    }
}
