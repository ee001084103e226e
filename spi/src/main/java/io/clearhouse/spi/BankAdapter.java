package io.clearhouse.spi;

import io.clearhouse.api.Posting;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One bank's side of two-phase commit, in the style of XA: the coordinator asks the bank to {@link #prepare} its
 * branch of a transaction, then tells it to {@link #commit} or {@link #rollback}.
 *
 * <h2>Balances: hold, post, release</h2>
 * Every account has a posted balance and a held amount. Preparing a debit holds the amount (available = posted -
 * held must cover it); committing posts it (posted and held both fall); rolling back releases the hold. A credit is
 * invisible until commit, but its prepare reserves room for it, so that committing can never overflow 2^63-1.
 * Balances never go negative.
 *
 * <h2>Votes</h2>
 * {@link #prepare} answers {@link Vote#COMMIT} only once the branch's reservation is durable: after a crash and
 * {@link BankAdapterProvider#open reopen}, the bank still holds it and lists it in {@link #recover()}. It answers
 * {@link Vote#READ_ONLY} when the branch changes nothing, and {@link Vote.Abort} with {@code UNKNOWN_ACCOUNT} (an
 * account this bank does not hold), {@code INSUFFICIENT_FUNDS} or {@code BALANCE_OVERFLOW}; an aborted branch leaves
 * nothing behind. An infrastructure failure is a {@link BankException}, never a vote.
 *
 * <h2>Idempotency and order</h2>
 * Every call may be duplicated, and calls for one xid may arrive out of order:
 * <ul>
 *   <li>a repeated {@code prepare} of a prepared or committed xid answers {@code COMMIT} again and holds nothing
 *       more;
 *   <li>a {@code prepare} of an xid already rolled back answers {@code ABORT(TIMEOUT)} and holds nothing, since
 *       the coordinator has given up on it; a rollback of an xid the bank never saw is remembered for that reason;
 *   <li>{@code commit} or {@code rollback} of an xid the bank does not hold (never prepared, already finished or
 *       forgotten) is acknowledged and changes nothing; a commit never follows a rollback of the same xid, or the
 *       reverse, unless the coordinator is broken.
 * </ul>
 *
 * <h2>Messages of many branches</h2>
 * {@link #prepareMany}, {@link #commitMany} and {@link #rollbackMany} carry the branches of many transactions for this
 * bank in one message, so that a bank reached over the network costs one round trip, and a durable bank one log
 * record, for all of them. Each branch of a message follows the rules of its single call, in the message's order, as if
 * the single calls had been made one after the other; duplicated and reordered messages are answered by the same
 * idempotency rules. A message either answers for every branch or fails as a whole (a lost message): its stage
 * completes exceptionally with a {@link BankException}, and the coordinator treats every branch in it as it treats a
 * single call that failed (a failed prepare aborts its transaction, a failed commit or rollback is sent again). Some
 * of its branches may have been applied all the same, which the idempotency rules make harmless. The defaults loop
 * over the single calls, so an adapter that does not override them keeps working; an adapter overrides them to save
 * round trips or writes.
 *
 * <p>The coordinator calls the message methods on its own thread when the bank is {@link #nonBlocking()} or {@link
 * #preparesAsynchronously() prepares asynchronously}, and such a bank must then return at once with a stage that
 * completes later; for any other bank it calls them on a thread of its pool, and the call may block. The coordinator
 * has at most a configured number of messages of each kind out to a bank at once (its {@code
 * bankMessagesInFlightMax}, one by default), and gathers the branches that arrive meanwhile into the next message.
 *
 * <h2>Reads of many banks</h2>
 * {@link #recoverAsync()} and {@link #postedBalancesAsync()} are {@link #recover()} and {@link #postedBalances()}
 * returning a stage. The coordinator's recovery asks every bank's {@code recoverAsync()} before it waits for any
 * answer, and the batch command does the same for the final balances, so that the banks of one server (the {@code
 * remote} adapter) answer in a few shared requests instead of one round trip each. The defaults call the blocking
 * methods and return a completed stage (a failed one on a {@link BankException}); the stage of an override may
 * complete on a thread of the adapter's, so a caller does its work after waiting, not in a dependent action.
 *
 * <h2>Threads</h2>
 * Every method is thread-safe. Branches on different accounts proceed in parallel; an implementation that locks
 * several accounts takes the locks in account-id order, so that no deadlock can form.
 */
public interface BankAdapter extends AutoCloseable {
    /** The bank's id. */
    String bankId();

    /** The accounts this bank holds. */
    Set<String> accounts();

    /**
     * Validates and reserves this bank's part of a transaction.
     *
     * @param xid the branch
     * @param postings the postings on this bank's accounts, each account at most once
     * @return the vote; {@code COMMIT} only when the reservation is durable
     * @throws BankException on an infrastructure failure
     */
    Vote prepare(Xid xid, List<Posting> postings);

    /**
     * {@link #prepare} without waiting for the reservation to become durable: the reservation is made (or refused)
     * before this returns, and the stage completes with the vote once {@link #prepare} would have returned it, or
     * exceptionally with a {@link BankException}. The same idempotency rules hold; a repeated prepare of an xid whose
     * reservation is not yet durable completes when it is.
     *
     * <p>The coordinator calls this instead of {@link #prepare} only when {@link #preparesAsynchronously()} is true,
     * and then on its own thread, so that a bank which group-commits its log does not cost a coordinator thread
     * parked per branch. The stage may complete on a thread of the bank's (its log flusher): the coordinator moves
     * its own work elsewhere, and an implementation must not complete the stage while holding a lock that its
     * other methods take. The default runs {@link #prepare} and so blocks.
     *
     * @throws BankException on an infrastructure failure found before the reservation was made
     */
    default CompletionStage<Vote> prepareAsync(Xid xid, List<Posting> postings) {
        return CompletableFuture.completedFuture(prepare(xid, postings));
    }

    /**
     * Whether {@link #prepareAsync} returns without waiting for I/O (it reserves in memory and queues the durable
     * write). False by default.
     */
    default boolean preparesAsynchronously() {
        return false;
    }

    /**
     * Whether the bank gathers the branches that reach it together by itself, so that the coordinator hands each
     * branch on as it comes instead of holding it back for a message of many: a durable memory bank's log shares one
     * forced write among all the prepares queued while it forces, and a branch held back for the next message would
     * only wait for a force it did not need (measured: half the throughput of the embedded durable benchmark). Such a
     * bank is sent one branch per call ({@link #prepareAsync} when it {@link #preparesAsynchronously() prepares
     * asynchronously}). False by default: the coordinator gathers a bank's branches into messages.
     */
    default boolean gathersBranchesItself() {
        return false;
    }

    /**
     * Prepares many branches in one message: the stage completes with one vote per branch, in the order of {@code
     * branches}, each vote given as {@link #prepare} gives it (so {@code COMMIT} only once that branch's reservation is
     * durable), or exceptionally with a {@link BankException} when the message as a whole failed. The default calls
     * {@link #prepareAsync} for each branch when the bank {@link #preparesAsynchronously() prepares asynchronously},
     * and {@link #prepare} otherwise.
     *
     * @param branches at least one branch, each xid of this bank and at most once
     */
    default CompletionStage<List<Vote>> prepareMany(List<BranchPrepare> branches) {
        return BranchMessages.prepareOneByOne(this, branches);
    }

    /**
     * Commits many branches in one message, as {@link #commit} commits each, in order. The stage completes once every
     * branch is applied, or exceptionally with a {@link BankException}; the coordinator then sends the commits again.
     * The default calls {@link #commit} for each.
     */
    default CompletionStage<Void> commitMany(List<Xid> xids) {
        return BranchMessages.oneByOne(this, xids, this::commit);
    }

    /**
     * Rolls back many branches in one message, as {@link #rollback} rolls back each, in order. The stage completes
     * once every branch is released (or remembered as rolled back), or exceptionally with a {@link BankException}.
     * The default calls {@link #rollback} for each.
     */
    default CompletionStage<Void> rollbackMany(List<Xid> xids) {
        return BranchMessages.oneByOne(this, xids, this::rollback);
    }

    /**
     * Applies a prepared branch: holds are posted, credits become visible. Idempotent.
     *
     * @throws BankException on an infrastructure failure; the coordinator retries
     */
    void commit(Xid xid);

    /**
     * Releases a prepared branch, or remembers that {@code xid} must not be prepared later. Idempotent.
     *
     * @throws BankException on an infrastructure failure; the coordinator retries
     */
    void rollback(Xid xid);

    /** The xids this bank holds prepared and not yet committed or rolled back, as they survived any crash. */
    Set<Xid> recover();

    /**
     * {@link #recover()} without waiting: the stage completes with what {@link #recover()} would return, or
     * exceptionally with a {@link BankException}. A caller that asks many banks issues every call before it waits for
     * any, so that banks reached through one server share its requests. The default calls {@link #recover()} and so
     * blocks; an adapter that reaches its bank over a network overrides it.
     */
    default CompletionStage<Set<Xid>> recoverAsync() {
        try {
            return CompletableFuture.completedFuture(recover());
        } catch (BankException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** One account's posted balance and holds, or empty for an account this bank does not hold. */
    Optional<AccountBalance> account(String account);

    /** Every account's posted balance, in the order of {@link BankConfig#initialBalances()}. */
    Map<String, Long> postedBalances();

    /**
     * {@link #postedBalances()} without waiting, as {@link #recoverAsync()} is to {@link #recover()}: the stage
     * completes with the same map, or exceptionally with a {@link BankException}. The default calls {@link
     * #postedBalances()}.
     */
    default CompletionStage<Map<String, Long>> postedBalancesAsync() {
        try {
            return CompletableFuture.completedFuture(postedBalances());
        } catch (BankException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Whether every call returns without waiting on I/O or on other threads for long (a bank held in memory). The
     * coordinator then makes its calls on its own thread rather than handing each one to an executor; prepares to
     * such banks are not "in parallel", but they take less time than the hand-off would.
     */
    default boolean nonBlocking() {
        return false;
    }

    /** How many forced (synced) writes the bank has made since it opened, for per-transaction figures; 0 if unknown. */
    default long forcedWrites() {
        return 0;
    }

    /** Releases the bank's resources. Prepared branches stay durable and are restored by the next open. */
    @Override
    void close();
}
