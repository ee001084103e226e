package io.clearhouse.spi;

import io.clearhouse.api.Posting;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A bank that passes every call to a real one; fault-injecting test banks override only the calls they break, so
 * what they do not break is certainly the real bank's behaviour. The message and asynchronous calls are not passed
 * on: their defaults go through {@link #prepare}, {@link #commit} and {@link #rollback}, so an override of those
 * sees every branch however it is sent.
 */
public abstract class ForwardingBank implements BankAdapter {
    protected final BankAdapter real;

    protected ForwardingBank(BankAdapter real) {
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
