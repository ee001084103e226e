package io.clearhouse.core.simulation;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A bank as the recovery of one incarnation may see it: the prepared branches of newer incarnations are left out.
 * A node that was deposed without knowing it still runs recovery passes, and the log's reads answer it from the new
 * leader's state, so without this it would roll back, as undecided, branches the new leader is preparing, and the
 * new leader would then commit them at the other banks. Branches of its own and older incarnations are safe to
 * resolve by the log: any later commit decision of theirs is refused by the fencing.
 */
final class IncarnationScopedBank implements BankAdapter {
    private final BankAdapter bank;
    private final long incarnation;

    IncarnationScopedBank(BankAdapter bank, long incarnation) {
        this.bank = bank;
        this.incarnation = incarnation;
    }

    @Override
    public Set<Xid> recover() {
        Set<Xid> visible = new LinkedHashSet<>();
        for (Xid xid : bank.recover()) {
            if (incarnationOf(xid.transactionId()) <= incarnation) {
                visible.add(xid);
            }
        }
        return visible;
    }

    private static long incarnationOf(String globalId) {
        return Long.parseLong(globalId, 0, globalId.indexOf('.'), 10);
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
    public void commit(Xid xid) {
        bank.commit(xid);
    }

    @Override
    public void rollback(Xid xid) {
        bank.rollback(xid);
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
    public void close() {}
}
