package io.clearhouse.xa;

import io.clearhouse.spi.AccountBalance;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An XA resource manager that keeps a bank's ledger, as {@link XAResourceParticipant} drives it: sessions to run
 * branches on, and the reads every bank answers, which XA itself does not know about.
 */
public interface XaResourceManager extends AutoCloseable {
    /** The accounts the ledger holds. */
    Set<String> accounts();

    /** One account's posted balance and holds, or empty for an account the ledger does not hold. */
    Optional<AccountBalance> account(String account);

    /** Every account's committed balance. */
    Map<String, Long> postedBalances();

    /**
     * A session of its own for one call of the participant: a branch's start, work, end and prepare, which many
     * resource managers (pgjdbc among them) want on one connection, or a commit, rollback or recovery scan.
     *
     * @throws Exception when the resource manager cannot be reached; the participant reports it as a bank failure
     */
    XaSession openSession() throws Exception;

    /** Releases the connections; prepared branches stay with the resource manager. */
    @Override
    void close();
}
