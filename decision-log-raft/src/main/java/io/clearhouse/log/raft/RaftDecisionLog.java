package io.clearhouse.log.raft;

import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.log.DecisionRecordCodec;
import io.clearhouse.core.log.PrunableDecisionLog;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * The coordinator's decision log kept by a Raft group of {@link RaftDecisionNode}s: a Ratis client that writes
 * records as entries of the group's {@link DecisionStateMachine} and reads from it. A durable append completes once
 * the group committed the entry that carries it, that is once a majority of peers hold it, so the log survives the
 * loss of any minority of peers; concurrent appends share entries through an {@link EntryBatcher}.
 *
 * <p>Opening the log is itself an entry: the state machine starts the next incarnation and answers with the records
 * recovery needs, in one step no other opening can interleave with. A log is opened for one term of leadership, by
 * the coordinator of the peer that leads in that term: every entry carries that term, and once a newer leader holds
 * the group each is refused ({@link StaleLeadershipException}), so a deposed coordinator decides nothing more.
 * Lookups are linearizable reads (ReadIndex on the leader), so they see every write the group committed before they
 * were asked, whoever wrote it; each costs a round trip to a majority. The one lookup every new transfer makes, whether
 * its client id is new, is answered without it when the log runs beside the leader ({@link #outcomeBeforeDeciding}).
 *
 * <p>A write that fails (no majority within {@code writeTimeoutMillis}) may still be committed later by a leader that
 * holds it, so from then on lookups fail rather than answer "no decision", as the file log's do; a new opening
 * tells what the group holds.
 *
 * <p>Pruning is a series of prune entries written for the log's term, each of which makes every peer forget a
 * bounded number of the transactions that finished before the cutoff, by the time the entry carries: this peer's
 * clock as it writes it. Only the coordinator of the leader prunes, as it alone writes.
 */
public final class RaftDecisionLog implements PrunableDecisionLog {

    private final RaftClient client;
    private final Optional<RaftDecisionNode> local;
    private final RaftOptions options;
    private final long term;
    private final long incarnation;
    private final List<DecisionRecord> recovered;
    private final EntryBatcher batcher;
    private final AtomicLong forcedWrites = new AtomicLong(1);
    private volatile Throwable writeFailure;
    private boolean closed;

    private RaftDecisionLog(
            RaftClient client,
            Optional<RaftDecisionNode> local,
            RaftOptions options,
            long term,
            DecisionMessages.Opening opening) {
        this.client = client;
        this.local = local;
        this.options = options;
        this.term = term;
        this.incarnation = opening.incarnation();
        this.recovered = opening.recovered();
        this.batcher = new EntryBatcher(this::sendEntry, options);
    }

    /**
     * Opens the log kept by {@code peers} for the leadership of {@code term}: durably starts a new incarnation and
     * reads what recovery needs.
     *
     * @param term the term in which the caller's peer leads, as {@link RaftDecisionNode#leadership()} tells it
     * @throws StaleLeadershipException if another peer leads by the time the opening is appended
     * @throws DecisionLogException if the group does not commit the opening within {@code writeTimeoutMillis}
     */
    public static RaftDecisionLog open(RaftPeers peers, RaftOptions options, long term) {
        return open(client(peers, options, Optional.empty()), Optional.empty(), options, term);
    }

    /**
     * Opens the log as {@link #open(RaftPeers, RaftOptions, long)} does, for the coordinator that runs beside
     * {@code leader}, the peer that leads in {@code term}: its client sends to that peer first, instead of finding
     * the leader by trying the peers in turn (one of which may be the dead former leader), and it looks up the
     * outcome of a new client id in what that peer applied ({@link #outcomeBeforeDeciding}).
     */
    public static RaftDecisionLog open(RaftDecisionNode leader, RaftOptions options, long term) {
        return open(clientBeside(leader, options), Optional.of(leader), options, term);
    }

    private static RaftDecisionLog open(
            RaftClient client, Optional<RaftDecisionNode> local, RaftOptions options, long term) {
        try {
            RaftClientReply reply = client.io().send(DecisionMessages.open(term));
            return new RaftDecisionLog(
                    client, local, options, term, DecisionMessages.decodeOpening(contentOf(reply), term));
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(client, e);
            throw e instanceof DecisionLogException logException
                    ? logException
                    : new DecisionLogException("cannot open the replicated decision log", e);
        }
    }

    /** A client of the group that tries {@code node}, the peer it runs beside, first. */
    private static RaftClient clientBeside(RaftDecisionNode node, RaftOptions options) {
        RaftDecisionNode.Placement placement = node.placement();
        return client(placement.peers(), options, Optional.of(placement.selfId()));
    }

    private static RaftClient client(RaftPeers peers, RaftOptions options, Optional<String> leaderId) {
        RaftProperties properties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, RaftDecisionNode.millis(options.requestTimeoutMillis()));
        RaftClient.Builder builder = RaftClient.newBuilder()
                .setProperties(properties)
                .setRaftGroup(RaftDecisionNode.group(peers))
                .setRetryPolicy(retryPolicy(options));
        leaderId.map(RaftPeerId::valueOf).ifPresent(builder::setLeaderId);
        return builder.build();
    }

    /** Retries every request with a pause until it has taken {@code writeTimeoutMillis} since its first attempt. */
    private static RetryPolicy retryPolicy(RaftOptions options) {
        RetryPolicy retry = RetryPolicies.retryForeverWithSleep(RaftDecisionNode.millis(options.retrySleepMillis()));
        TimeDuration timeout = RaftDecisionNode.millis(options.writeTimeoutMillis());
        RequestTypeDependentRetryPolicy.Builder policy = RequestTypeDependentRetryPolicy.newBuilder();
        for (RaftClientRequestProto.TypeCase type : List.of(
                RaftClientRequestProto.TypeCase.WRITE,
                RaftClientRequestProto.TypeCase.READ,
                RaftClientRequestProto.TypeCase.WATCH)) {
            policy.setRetryPolicy(type, retry).setTimeout(type, timeout);
        }
        return policy.build();
    }

    private static void closeAfterFailure(RaftClient client, Exception primary) {
        try {
            client.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    private static ByteString contentOf(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new DecisionLogException("the Raft group refused the request", reply.getException());
        }
        return reply.getMessage().getContent();
    }

    @Override
    public List<DecisionRecord> recoveredRecords() {
        return recovered;
    }

    @Override
    public long incarnation() {
        return incarnation;
    }

    @Override
    public CompletableFuture<Void> appendDurably(DecisionRecord record) {
        return batcher.submitDurable(DecisionRecordCodec.encode(record));
    }

    @Override
    public void appendLazily(DecisionRecord record) {
        CompletableFuture<Void> queued = batcher.submitLazy(DecisionRecordCodec.encode(record));
        if (queued.isCompletedExceptionally()) {
            // Refused at once (full queue, or an earlier write failed): say so, as the file log does.
            try {
                queued.join();
            } catch (CompletionException e) {
                throw new DecisionLogException("cannot append to the replicated decision log", e.getCause());
            }
        }
    }

    private CompletableFuture<Void> sendEntry(List<byte[]> records) {
        Message entry = DecisionMessages.append(term, records);
        return client.async()
                .send(entry)
                .thenAccept(reply -> DecisionMessages.decodeAppended(contentOf(reply), term))
                .whenComplete((committed, failure) -> {
                    if (failure == null) {
                        forcedWrites.incrementAndGet();
                    } else {
                        writeFailure = failure;
                    }
                });
    }

    /**
     * Forgets, on every peer, the transactions that finished before {@code cutoff}, with entries of at most {@code
     * pageTransactionsMax} each, until none is left before it; entries are dated by this peer's clock now.
     *
     * @throws StaleLeadershipException if another peer leads by the time an entry is appended; the prune is then the
     *     new leader's to make
     */
    @Override
    public Pruned prune(Instant cutoff, int pageTransactionsMax) {
        return prune(cutoff, Instant.now(), pageTransactionsMax);
    }

    /** Prunes as {@link #prune(Instant, int)} does, with entries dated {@code now}. */
    Pruned prune(Instant cutoff, Instant now, int pageTransactionsMax) {
        DecisionMessages.Prune prune =
                new DecisionMessages.Prune(cutoff.toEpochMilli(), now.toEpochMilli(), pageTransactionsMax);
        long forgotten = 0;
        int entries = 0;
        DecisionMessages.PrunePage page;
        do {
            try {
                page = DecisionMessages.decodePruned(
                        contentOf(client.io().send(DecisionMessages.prune(term, prune))), term);
            } catch (IOException e) {
                throw new DecisionLogException("cannot prune the replicated decision log", e);
            }
            forgotten += page.transactionsForgotten();
            entries++;
        } while (page.moreBeforeCutoff());
        return new Pruned(forgotten, entries);
    }

    /** What one {@link #prune} did: the transactions every peer forgot, and the prune entries it took. */
    public record Pruned(long transactionsForgotten, int entries) implements PrunableDecisionLog.Pruning {
        @Override
        public boolean forgotAnything() {
            return transactionsForgotten > 0;
        }

        @Override
        public String summary() {
            return transactionsForgotten + " transactions of the replicated decision log in " + entries
                    + " prune entries";
        }
    }

    @Override
    public Optional<DecisionRecord.ClientOutcome> outcomeOf(String clientId) {
        return query(DecisionMessages.Kind.OUTCOME_OF, clientId).map(DecisionRecord.ClientOutcome.class::cast);
    }

    /**
     * Answers, like {@link #outcomeBeforeDeciding}, from the state the leader beside this log applied, when there is
     * one. Recovery asks, for a branch a bank holds prepared, whether its attempt decided to commit. The attempts of
     * earlier incarnations wrote their decisions in earlier terms: those the group committed are all applied on that
     * peer before it was ready to lead, and those it did not never will be, since an entry counts only in the term it
     * was written for. This log's own attempts have their decisions applied before they reach phase two. The branches
     * of later incarnations, the only ones whose decisions a deposed leader's peer may lack, recovery leaves alone.
     */
    @Override
    public Optional<DecisionRecord.CommitDecision> commitDecisionOf(String globalId) {
        return lookUp(DecisionMessages.Kind.COMMIT_DECISION_OF, globalId)
                .map(DecisionRecord.CommitDecision.class::cast);
    }

    private Optional<DecisionRecord> lookUp(DecisionMessages.Kind kind, String id) {
        if (local.isEmpty()) {
            return query(kind, id);
        }
        requireNoWriteFailure();
        return local.get().stateMachine().applied(kind, id);
    }

    /**
     * Answers from the state the leader beside this log applied, without a round trip to a majority. Every entry of
     * earlier terms is applied there before that peer is ready to lead, and every entry this log wrote before the
     * write's reply, so the answer is the group's as long as that peer leads in this log's term. If it has been
     * replaced without knowing it, the answer may miss what the new leader wrote; but then this log's writes are
     * refused ({@link StaleLeadershipException}), so nothing is decided on that answer.
     */
    @Override
    public Optional<DecisionRecord.ClientOutcome> outcomeBeforeDeciding(String clientId) {
        return lookUp(DecisionMessages.Kind.OUTCOME_OF, clientId).map(DecisionRecord.ClientOutcome.class::cast);
    }

    private void requireNoWriteFailure() {
        Throwable failure = writeFailure;
        if (failure != null) {
            throw new DecisionLogException(
                    "a write to the replicated log failed and may be committed all the same; what the group holds"
                            + " is known again when the log is opened anew",
                    failure);
        }
    }

    private Optional<DecisionRecord> query(DecisionMessages.Kind kind, String id) {
        requireNoWriteFailure();
        try {
            return DecisionMessages.decodeFound(contentOf(client.io().sendReadOnly(DecisionMessages.query(kind, id))));
        } catch (IOException e) {
            throw new DecisionLogException("cannot read the replicated decision log", e);
        }
    }

    /**
     * Whether a write failed, after which lookups fail too: a coordinator over this log can no longer tell new ids
     * from old ones, and should give way to one that opens the log anew, which learns what the group holds.
     */
    public boolean hasFailed() {
        return writeFailure != null;
    }

    @Override
    public long forcedWrites() {
        return forcedWrites.get();
    }

    /**
     * Sends the records appended lazily, waits for the group to commit them (at most about {@code
     * writeTimeoutMillis}), then closes the client. The peers keep running.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            batcher.flush().get(writeBoundMillis(), TimeUnit.MILLISECONDS);
            if (writeFailure != null) {
                // An earlier entry failed while the last one, in flight beside it, was committed.
                throw new ExecutionException(writeFailure);
            }
        } catch (ExecutionException | TimeoutException e) {
            writeFailure = e;
            throw new DecisionLogException("the replicated log closed before the group committed every record", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DecisionLogException("interrupted while closing the replicated log", e);
        } finally {
            closeClient();
        }
    }

    private long writeBoundMillis() {
        return options.writeTimeoutMillis() + options.requestTimeoutMillis();
    }

    private void closeClient() {
        try {
            client.close();
        } catch (IOException e) {
            throw new DecisionLogException("cannot close the replicated decision log's client", e);
        }
    }
}
