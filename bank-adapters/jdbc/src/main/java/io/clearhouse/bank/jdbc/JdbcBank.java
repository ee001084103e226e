package io.clearhouse.bank.jdbc;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What both modes of a jdbc bank share: reads, the limits on every call, the cutting of large messages into
 * transactions of {@code branches-per-transaction-max} branches, and the forgetting of old finished branches. A
 * single call is a message of one branch, so there is one path for both. Subclasses say how a message of prepares,
 * commits or rollbacks is applied.
 */
abstract class JdbcBank implements BankAdapter {
    /** How many finished branches the bank lets accumulate before it looks for old ones to forget. */
    static final int PURGE_INTERVAL_BRANCHES = 1_024;
    /** The most old branches one purge forgets, so that it stays a short transaction. */
    static final int PURGE_BRANCHES_MAX = 10_000;

    protected final String bankId;
    protected final JdbcBankSettings settings;
    protected final BranchBook book;
    private final Set<String> accounts;
    private final AtomicLong finishedSincePurge = new AtomicLong();
    private final AutoCloseable resources;

    JdbcBank(String bankId, JdbcBankSettings settings, BranchBook book, Set<String> accounts, AutoCloseable resources) {
        this.bankId = bankId;
        this.settings = settings;
        this.book = book;
        this.accounts = Set.copyOf(accounts);
        this.resources = resources;
    }

    /** Applies at most {@code branches-per-transaction-max} prepares, checked against the limits. */
    abstract List<Vote> prepareChunk(List<BranchPrepare> branches);

    abstract void commitChunk(List<Xid> xids);

    abstract void rollbackChunk(List<Xid> xids);

    @Override
    public final String bankId() {
        return bankId;
    }

    /** The accounts the table held when the bank opened. */
    @Override
    public final Set<String> accounts() {
        return accounts;
    }

    @Override
    public final Vote prepare(Xid xid, List<Posting> postings) {
        return prepareMessage(List.of(new BranchPrepare(xid, postings))).get(0);
    }

    @Override
    public final void commit(Xid xid) {
        commitMessage(List.of(xid));
    }

    @Override
    public final void rollback(Xid xid) {
        rollbackMessage(List.of(xid));
    }

    @Override
    public final CompletionStage<List<Vote>> prepareMany(List<BranchPrepare> branches) {
        return completed(() -> prepareMessage(branches));
    }

    @Override
    public final CompletionStage<Void> commitMany(List<Xid> xids) {
        return completed(() -> {
            commitMessage(xids);
            return null;
        });
    }

    @Override
    public final CompletionStage<Void> rollbackMany(List<Xid> xids) {
        return completed(() -> {
            rollbackMessage(xids);
            return null;
        });
    }

    private static <T> CompletionStage<T> completed(Supplier<T> call) {
        try {
            return CompletableFuture.completedFuture(call.get());
        } catch (BankException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private List<Vote> prepareMessage(List<BranchPrepare> branches) {
        for (BranchPrepare branch : branches) {
            checkXid(branch.xid());
            if (branch.postings().size() > settings.postingsPerBranchMax()) {
                throw new BankException(
                        bankId,
                        "branch " + branch.xid() + " has " + branch.postings().size()
                                + " postings, more than " + JdbcBankSettings.POSTINGS_PER_BRANCH_MAX + " ("
                                + settings.postingsPerBranchMax() + ")");
            }
        }
        List<Vote> votes = new ArrayList<>(branches.size());
        inChunks(branches, chunk -> votes.addAll(prepareChunk(chunk)));
        return votes;
    }

    private void commitMessage(List<Xid> xids) {
        xids.forEach(this::checkXid);
        inChunks(xids, this::commitChunk);
        finished(xids.size());
    }

    private void rollbackMessage(List<Xid> xids) {
        xids.forEach(this::checkXid);
        inChunks(xids, this::rollbackChunk);
        finished(xids.size());
    }

    private <T> void inChunks(List<T> items, Consumer<List<T>> apply) {
        int size = settings.branchesPerTransactionMax();
        for (int from = 0; from < items.size(); from += size) {
            apply.accept(items.subList(from, Math.min(items.size(), from + size)));
        }
    }

    /** Checks what the tables can hold; subclasses add the limits of their mode. */
    void checkXid(Xid xid) {
        if (xid.transactionId().isEmpty()
                || xid.transactionId().length() > JdbcBankSettings.TEXT_LENGTH_MAX / 4
                || xid.bankId().isEmpty()
                || xid.bankId().length() > JdbcBankSettings.TEXT_LENGTH_MAX / 4) {
            throw new BankException(
                    bankId,
                    "xid ids must have 1.." + JdbcBankSettings.TEXT_LENGTH_MAX / 4 + " characters: "
                            + abbreviated(xid.toString()));
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /** Forgets old finished branches once enough have finished since the last time. */
    private void finished(int branches) {
        if (finishedSincePurge.addAndGet(branches) >= PURGE_INTERVAL_BRANCHES) {
            finishedSincePurge.set(0);
            book.purgeFinished(settings.finishedRetentionSeconds(), PURGE_BRANCHES_MAX);
        }
    }

    /** Votes of reservations that need nothing more than the local transaction: COMMIT for held branches. */
    static List<Vote> escrowVotes(List<Reserved> reserved) {
        List<Vote> votes = new ArrayList<>(reserved.size());
        for (Reserved each : reserved) {
            votes.add(each instanceof Reserved.Answered answered ? answered.vote() : Vote.COMMIT);
        }
        return votes;
    }

    @Override
    public final Optional<AccountBalance> account(String account) {
        if (account.length() > JdbcBankSettings.TEXT_LENGTH_MAX / 4) {
            return Optional.empty();
        }
        return book.account(account);
    }

    @Override
    public final Map<String, Long> postedBalances() {
        return book.postedBalances();
    }

    @Override
    public long forcedWrites() {
        return book.commits();
    }

    @Override
    public final void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new BankException(bankId, "closing the bank failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + bankId + ", " + settings.url() + ", schema " + settings.schema()
                + "]";
    }
}
