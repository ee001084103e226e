package io.clearhouse.bank.remote;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A bank hosted by a bank server, reached through the server's shared {@link HttpBankClient}. Every SPI message is one
 * protocol message; the client decides which of them travel together. The bank's state, and so durability and
 * idempotency, live in the server: a message that failed here may have been applied there, which the idempotency of
 * every call by xid makes harmless. Commit and rollback messages are sent again after a failure, with a doubling
 * pause, a bounded number of times within their deadline; prepares are not, since the coordinator aborts a
 * transaction whose prepare failed.
 */
final class HttpBankAdapter implements BankAdapter {

    private final String bankId;
    private final HttpBankClient client;
    private final RemoteSettings settings;
    private final Set<String> accounts;
    private final String bankPath;
    private final Runnable onClose;
    private final boolean reportsForcedWrites;
    private volatile boolean closed;

    private HttpBankAdapter(
            String bankId, HttpBankClient client, Set<String> accounts, boolean reportsForcedWrites, Runnable onClose) {
        this.bankId = bankId;
        this.reportsForcedWrites = reportsForcedWrites;
        this.client = client;
        this.settings = client.settings();
        this.accounts = accounts;
        this.bankPath = "/v1/banks/" + segment(bankId);
        this.onClose = onClose;
    }

    /**
     * Opens bank {@code bankId} of the server {@code client} talks to, with its accounts from the answer the client
     * shares among the banks of that server (one request for all of them).
     *
     * @throws BankException if the server does not answer or hosts no such bank
     */
    static HttpBankAdapter open(String bankId, HttpBankClient client, Runnable onClose) {
        HttpBankClient.Response<Map<String, List<String>>> response =
                awaitRead(bankId, client, client.accountsOfBanks(bankId));
        if (response.status() != 200) {
            throw new BankException(
                    bankId,
                    "server " + client.settings().url() + " answered GET /v1/accounts with " + response.status() + " "
                            + response.problem().reason() + ": "
                            + response.problem().detail());
        }
        List<String> accounts = response.body().get(bankId);
        if (accounts == null) {
            throw new BankException(bankId, "server " + client.settings().url() + " hosts no bank " + bankId);
        }
        return new HttpBankAdapter(
                bankId,
                client,
                Collections.unmodifiableSet(new LinkedHashSet<>(accounts)),
                client.claimForcedWritesReport(),
                onClose);
    }

    /** The shared client this bank sends through. */
    HttpBankClient client() {
        return client;
    }

    @Override
    public String bankId() {
        return bankId;
    }

    @Override
    public Set<String> accounts() {
        return accounts;
    }

    @Override
    public boolean preparesAsynchronously() {
        return true;
    }

    @Override
    public Vote prepare(Xid xid, List<Posting> postings) {
        return await(prepareAsync(xid, postings));
    }

    @Override
    public CompletionStage<Vote> prepareAsync(Xid xid, List<Posting> postings) {
        return prepareMany(List.of(new BranchPrepare(xid, postings))).thenApply(votes -> votes.get(0));
    }

    @Override
    public CompletionStage<List<Vote>> prepareMany(List<BranchPrepare> branches) {
        ensureOpen();
        List<RemoteWire.Branch> wire = new ArrayList<>(branches.size());
        for (BranchPrepare branch : branches) {
            List<RemoteWire.Posting> postings =
                    new ArrayList<>(branch.postings().size());
            for (Posting posting : branch.postings()) {
                postings.add(new RemoteWire.Posting(posting.account(), posting.amount()));
            }
            wire.add(new RemoteWire.Branch(ownTransaction(branch.xid()), postings));
        }
        RemoteWire.Message message = new RemoteWire.Message(bankId, "prepare", wire, null);
        return client.send(bankId, message, branches.size(), deadline())
                .thenApply(answer -> votes(answer, branches.size()));
    }

    private List<Vote> votes(RemoteWire.Answer answer, int branches) {
        failIfError(answer);
        if (answer.votes() == null || answer.votes().size() != branches) {
            throw new BankException(
                    bankId,
                    "server " + settings.url() + " answered a prepare of " + branches + " branches with "
                            + (answer.votes() == null ? 0 : answer.votes().size()) + " votes");
        }
        List<Vote> votes = new ArrayList<>(branches);
        for (RemoteWire.Vote vote : answer.votes()) {
            votes.add(vote(vote));
        }
        return votes;
    }

    private Vote vote(RemoteWire.Vote vote) {
        switch (String.valueOf(vote.vote())) {
            case "commit":
                return Vote.COMMIT;
            case "read-only":
                return Vote.READ_ONLY;
            case "abort":
                try {
                    return Vote.abort(Reason.valueOf(String.valueOf(vote.reason())));
                } catch (IllegalArgumentException e) {
                    throw new BankException(bankId, "server answered an abort with an unknown reason: " + vote);
                }
            default:
                throw new BankException(bankId, "server answered an unknown vote: " + vote);
        }
    }

    @Override
    public void commit(Xid xid) {
        await(commitMany(List.of(xid)));
    }

    @Override
    public void rollback(Xid xid) {
        await(rollbackMany(List.of(xid)));
    }

    @Override
    public CompletionStage<Void> commitMany(List<Xid> xids) {
        return phaseTwo("commit", xids);
    }

    @Override
    public CompletionStage<Void> rollbackMany(List<Xid> xids) {
        return phaseTwo("rollback", xids);
    }

    /**
     * Sends a commit or rollback message of the branches of this bank in {@code xids}. An xid of another bank is
     * acknowledged here without a word to the server: this bank cannot hold it, and no prepare of it can ever come
     * here, so there is nothing to apply or remember.
     */
    private CompletionStage<Void> phaseTwo(String kind, List<Xid> xids) {
        ensureOpen();
        List<String> transactions = new ArrayList<>(xids.size());
        for (Xid xid : xids) {
            if (xid.bankId().equals(bankId)) {
                transactions.add(xid.transactionId());
            }
        }
        if (transactions.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        RemoteWire.Message message = new RemoteWire.Message(bankId, kind, null, transactions);
        CompletableFuture<Void> done = new CompletableFuture<>();
        new PhaseTwoAttempts(message, transactions.size(), deadline(), done).attempt(0);
        return done;
    }

    /** The tries of one commit or rollback message, each started from the previous one's callback or its backoff. */
    private final class PhaseTwoAttempts {
        private final RemoteWire.Message message;
        private final int branches;
        private final long deadlineNanos;
        private final CompletableFuture<Void> done;

        PhaseTwoAttempts(RemoteWire.Message message, int branches, long deadlineNanos, CompletableFuture<Void> done) {
            this.message = message;
            this.branches = branches;
            this.deadlineNanos = deadlineNanos;
            this.done = done;
        }

        void attempt(int retry) {
            client.send(bankId, message, branches, deadlineNanos).whenComplete((answer, failure) -> {
                BankException problem = failure != null ? client.asBankException(bankId, failure) : errorOf(answer);
                if (problem == null) {
                    done.complete(null);
                } else if (!retryLater(retry)) {
                    done.completeExceptionally(problem);
                }
            });
        }

        /** Schedules the next try if one is left and its pause ends before the deadline; a down server waits out. */
        private boolean retryLater(int retry) {
            if (retry >= settings.retriesMax() || closed) {
                return false;
            }
            long now = System.nanoTime();
            long backoffNanos = TimeUnit.MILLISECONDS.toNanos(settings.retryBackoffMillis() << Math.min(retry, 20));
            long startNanos = Math.max(now + backoffNanos, client.unavailableUntilNanos());
            if (startNanos - deadlineNanos >= 0) {
                return false;
            }
            CompletableFuture.delayedExecutor(startNanos - now, TimeUnit.NANOSECONDS)
                    .execute(() -> attempt(retry + 1));
            return true;
        }
    }

    private BankException errorOf(RemoteWire.Answer answer) {
        try {
            failIfError(answer);
            return null;
        } catch (BankException e) {
            return e;
        }
    }

    private void failIfError(RemoteWire.Answer answer) {
        if (answer.error() != null) {
            throw new BankException(
                    bankId,
                    "server " + settings.url() + " failed the message ("
                            + answer.error().reason() + "): " + answer.error().detail());
        }
    }

    @Override
    public Set<Xid> recover() {
        return await(recoverAsync());
    }

    /** A {@code recover} message: it travels with the other messages of this bank's server, as a prepare does. */
    @Override
    public CompletionStage<Set<Xid>> recoverAsync() {
        return readMessage("recover").thenApply(answer -> {
            if (answer.transactions() == null) {
                throw unexpectedAnswer("recover", answer);
            }
            Set<Xid> xids = new HashSet<>();
            for (String transaction : answer.transactions()) {
                xids.add(new Xid(transaction, bankId));
            }
            return xids;
        });
    }

    @Override
    public Optional<AccountBalance> account(String account) {
        return read(bankPath + "/accounts/" + segment(account), RemoteWire.Account.class, true)
                .map(balance -> new AccountBalance(balance.account(), balance.posted(), balance.held()));
    }

    @Override
    public Map<String, Long> postedBalances() {
        return await(postedBalancesAsync());
    }

    /** A {@code balances} message, shared with the other messages of this bank's server like {@link #recoverAsync}. */
    @Override
    public CompletionStage<Map<String, Long>> postedBalancesAsync() {
        return readMessage("balances").thenApply(answer -> {
            if (answer.balances() == null) {
                throw unexpectedAnswer("balances", answer);
            }
            Map<String, Long> posted = new LinkedHashMap<>();
            for (RemoteWire.Balance balance : answer.balances()) {
                posted.put(balance.account(), balance.posted());
            }
            return posted;
        });
    }

    /** Sends a read message of {@code kind}; its answer, or a failure as a {@link BankException}. Not retried. */
    private CompletionStage<RemoteWire.Answer> readMessage(String kind) {
        try {
            ensureOpen();
        } catch (BankException e) {
            return CompletableFuture.failedFuture(e);
        }
        RemoteWire.Message message = new RemoteWire.Message(bankId, kind, null, null);
        return client.send(bankId, message, 1, deadline()).thenApply(answer -> {
            failIfError(answer);
            return answer;
        });
    }

    private BankException unexpectedAnswer(String kind, RemoteWire.Answer answer) {
        return new BankException(
                bankId, "server " + settings.url() + " answered a " + kind + " message with " + answer);
    }

    private <T> Optional<T> read(String path, Class<T> type, boolean unknownAccountIsEmpty) {
        ensureOpen();
        return read(bankId, client, path, type, unknownAccountIsEmpty);
    }

    private static <T> Optional<T> read(
            String bankId, HttpBankClient client, String path, Class<T> type, boolean unknownAccountIsEmpty) {
        HttpBankClient.Response<T> response = awaitRead(bankId, client, client.get(bankId, path, type));
        if (response.status() == 200) {
            return Optional.of(response.body());
        }
        if (unknownAccountIsEmpty
                && response.status() == 404
                && "UNKNOWN_ACCOUNT".equals(response.problem().reason())) {
            return Optional.empty();
        }
        throw new BankException(
                bankId,
                "server " + client.settings().url() + " answered GET " + path + " with " + response.status() + " "
                        + response.problem().reason() + ": "
                        + response.problem().detail());
    }

    private static <T> T awaitRead(String bankId, HttpBankClient client, CompletableFuture<T> read) {
        try {
            return read.get(client.settings().timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw client.deadlinePassed(bankId);
        } catch (ExecutionException e) {
            throw client.asBankException(bankId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BankException(
                    bankId, "interrupted while waiting for " + client.settings().url(), e);
        }
    }

    /** Waits for a message's stage; its deadline, retries included, bounds the wait, so no timeout is needed here. */
    private <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw client.asBankException(bankId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BankException(bankId, "interrupted while waiting for " + settings.url(), e);
        }
    }

    private long deadline() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.timeoutMillis());
    }

    /** The transaction id of a branch of this bank; preparing an xid of another bank is a caller's bug. */
    private String ownTransaction(Xid xid) {
        if (!xid.bankId().equals(bankId)) {
            throw new IllegalArgumentException("bank " + bankId + " was given a branch of bank " + xid.bankId());
        }
        return xid.transactionId();
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void ensureOpen() {
        if (closed) {
            throw new BankException(bankId, "closed");
        }
    }

    /**
     * The forced writes of this bank's server since this client first reached it, reported by one bank of the server
     * only, so that a sum over the banks counts them once.
     */
    @Override
    public long forcedWrites() {
        return reportsForcedWrites ? client.serverForcedWrites() : 0;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
