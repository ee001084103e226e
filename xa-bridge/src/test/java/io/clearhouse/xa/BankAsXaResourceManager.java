package io.clearhouse.xa;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.Xid;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.transaction.xa.XAResource;

/**
 * A real XA resource manager for the tests of {@link XAResourceParticipant}: a Clearhouse bank behind a {@link
 * ParticipantXAResource}, whose work posts to the branch, after a check that may refuse the postings first.
 */
final class BankAsXaResourceManager implements XaResourceManager {
    private final BankAdapter bank;
    private final ParticipantXAResource resource;
    private final Function<List<Posting>, Optional<Reason>> check;

    BankAsXaResourceManager(BankAdapter bank, Function<List<Posting>, Optional<Reason>> check) {
        this.bank = bank;
        this.resource = new ParticipantXAResource(bank);
        this.check = check;
    }

    BankAsXaResourceManager(BankAdapter bank) {
        this(bank, postings -> Optional.empty());
    }

    @Override
    public Set<String> accounts() {
        return bank.accounts();
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
    public XaSession openSession() {
        return new XaSession() {
            @Override
            public XAResource xaResource() {
                return resource;
            }

            @Override
            public Optional<Reason> apply(Xid xid, List<Posting> postings) {
                Optional<Reason> refusal = check.apply(postings);
                if (refusal.isEmpty()) {
                    resource.post(postings);
                }
                return refusal;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public void close() {
        bank.close();
    }
}
