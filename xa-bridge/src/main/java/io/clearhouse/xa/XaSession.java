package io.clearhouse.xa;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.Xid;
import java.util.List;
import java.util.Optional;
import javax.transaction.xa.XAResource;

/**
 * One connection to an XA resource manager, as {@link XAResourceParticipant} uses it for one call: its {@link
 * XAResource}, and the work that applies a transfer's postings inside a branch started on that resource. The work is
 * what makes a bare resource manager a bank, so it is the resource manager's to write: it holds debits and keeps
 * credits in the branch, as the ledger does its bookkeeping, and refuses what the ledger cannot take.
 */
public interface XaSession extends AutoCloseable {
    XAResource xaResource();

    /**
     * Applies a branch's postings inside the branch that is started on {@link #xaResource()} for {@code xid}. Only the
     * resource manager's prepare makes them durable, and its commit makes them visible.
     *
     * @return empty when the postings are applied, or the reason the ledger refuses them (an expected business
     *     outcome: the participant rolls the branch back and votes NO with that reason)
     * @throws Exception on an infrastructure failure; the participant rolls the branch back and fails the prepare
     */
    Optional<Reason> apply(Xid xid, List<Posting> postings) throws Exception;

    @Override
    void close();
}
