package io.clearhouse.log.raft;

import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.log.DecisionRecordCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The decision log as a Ratis state machine. Every peer applies the same committed entries in the same order to its
 * {@link DecisionState}, so every peer answers the same; Ratis replies to a write only after the leader applied it,
 * and a read-only query on a group configured for linearizable reads is answered after the leader confirmed it still
 * leads (ReadIndex).
 *
 * <p>An entry counts only if Raft appended it in the term it was written for, that is if the leader of that term
 * appended it: a coordinator runs on the leader for one term, and what it writes after a newer leader took over is
 * refused whole, here, deterministically on every peer. A deposed leader therefore decides nothing once the new
 * leader's opening is in the log, while whatever it wrote in its own term and the new leader holds comes before that
 * opening, where the new leader's recovery finds it.
 *
 * <p>Leadership events (this peer leads and has applied an entry of its term; it stopped leading; another leads) are
 * passed to a listener, which must return at once: Ratis calls it on its own threads.
 *
 * <p>A prune entry makes every peer forget the same finished transactions, by the time the entry carries, never by
 * a peer's own clock, and a bounded number of them, so that applying it holds the state only briefly.
 *
 * <p>Each record is decoded and validated again as it is applied, as the file log does on replay. A snapshot is the
 * whole state in one file named after the last applied entry, with Ratis' MD5 beside it; a restarted peer loads
 * the newest one and replays the entries after it, and a peer too far behind is sent it by the leader.
 */
final class DecisionStateMachine extends BaseStateMachine {
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final DecisionState state = new DecisionState();
    private final AppliedTerms appliedTerms = new AppliedTerms();
    private final Runnable leadershipChanged;

    DecisionStateMachine(Runnable leadershipChanged) {
        this.leadershipChanged = leadershipChanged;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        loadSnapshot(storage.getLatestSnapshot());
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /**
     * Called by Ratis before it replaces this peer's state with a snapshot the leader sent; Ratis then checks that
     * the state machine says it is paused, and without this closed the peer for good: a peer the leader had to send a
     * snapshot to (it was down while the leader purged its log) stopped for ever after receiving it.
     */
    @Override
    public void pause() {
        getLifeCycle().compareAndTransition(LifeCycle.State.RUNNING, LifeCycle.State.PAUSING);
        getLifeCycle().compareAndTransition(LifeCycle.State.PAUSING, LifeCycle.State.PAUSED);
    }

    /** Loads the snapshot the leader sent, after {@link #pause()}, and runs again. */
    @Override
    public void reinitialize() throws IOException {
        loadSnapshot(storage.loadLatestSnapshot());
        getLifeCycle().compareAndTransition(LifeCycle.State.PAUSED, LifeCycle.State.STARTING);
        getLifeCycle().compareAndTransition(LifeCycle.State.STARTING, LifeCycle.State.RUNNING);
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
        LogEntryProto entry = transaction.getLogEntry();
        DecisionMessages.Request request =
                DecisionMessages.decodeRequest(entry.getStateMachineLogEntry().getLogData());
        Message reply;
        synchronized (state) {
            if (request.term() != entry.getTerm()) {
                reply = DecisionMessages.refused(entry.getTerm());
            } else {
                reply = switch (request.kind()) {
                    case APPEND -> applyRecords(request.records());
                    case PRUNE -> {
                        DecisionMessages.Prune prune = request.prune().orElseThrow();
                        yield DecisionMessages.pruned(
                                state.prune(prune.cutoffMillis(), prune.nowMillis(), prune.transactionsMax()));
                    }
                    case OPEN -> {
                        DecisionMessages.Opening opening = state.open();
                        yield DecisionMessages.opening(opening.incarnation(), opening.recovered());
                    }
                    case OUTCOME_OF, COMMIT_DECISION_OF ->
                        throw new IllegalStateException("a query was written to the log: " + request.kind());
                };
            }
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        }
        return CompletableFuture.completedFuture(reply);
    }

    private Message applyRecords(List<byte[]> records) {
        for (byte[] bytes : records) {
            state.apply(DecisionRecordCodec.decode(bytes), bytes);
        }
        return DecisionMessages.appended();
    }

    @Override
    protected boolean updateLastAppliedTermIndex(TermIndex applied) {
        boolean updated = super.updateLastAppliedTermIndex(applied);
        if (updated) {
            appliedTerms.applied(applied);
        }
        return updated;
    }

    /** The entry at {@code index} with its term if this peer applied it, else null. */
    TermIndex appliedTermIndexOf(long index) {
        return appliedTerms.termIndexOf(index);
    }

    @Override
    public void notifyLeaderReady() {
        leadershipChanged.run();
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        leadershipChanged.run();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        leadershipChanged.run();
    }

    @Override
    public CompletableFuture<Message> query(Message message) {
        DecisionMessages.Request request = DecisionMessages.decodeRequest(message.getContent());
        return CompletableFuture.completedFuture(DecisionMessages.found(encoded(request.kind(), request.id())));
    }

    /**
     * The outcome of a client id or the commit decision of a global id, as {@code kind} says, in what this peer
     * applied so far, which may lag what the group committed.
     */
    Optional<DecisionRecord> applied(DecisionMessages.Kind kind, String id) {
        return encoded(kind, id).map(DecisionRecordCodec::decode);
    }

    private Optional<byte[]> encoded(DecisionMessages.Kind kind, String id) {
        synchronized (state) {
            return switch (kind) {
                case OUTCOME_OF -> state.outcomeOf(id);
                case COMMIT_DECISION_OF -> state.commitDecisionOf(id);
                case APPEND, OPEN, PRUNE -> throw new IllegalStateException("an entry was sent as a query: " + kind);
            };
        }
    }

    /** How much the state this peer applied holds. */
    DecisionState.Size stateSize() {
        synchronized (state) {
            return state.size();
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        Path temporary;
        TermIndex last;
        synchronized (state) {
            last = getLastAppliedTermIndex();
            if (last == null || last.getIndex() < 0) {
                return RaftLog.INVALID_LOG_INDEX;
            }
            File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
            temporary = file.toPath().resolveSibling(file.getName() + ".writing");
            try (DataOutputStream out =
                    new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary)))) {
                state.writeTo(out);
            }
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        Files.move(temporary, file.toPath(), StandardCopyOption.ATOMIC_MOVE);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        return last.getIndex();
    }

    private void loadSnapshot(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        File file = snapshot.getFile().getPath().toFile();
        MD5Hash md5 = snapshot.getFile().getFileDigest();
        if (md5 != null) {
            MD5FileUtil.verifySavedMD5(file, md5);
        }
        TermIndex last = SimpleStateMachineStorage.getTermIndexFromSnapshotFile(file);
        synchronized (state) {
            try (DataInputStream in =
                    new DataInputStream(new BufferedInputStream(Files.newInputStream(file.toPath())))) {
                state.readFrom(in);
            }
            setLastAppliedTermIndex(last);
            appliedTerms.restartAfter(last);
        }
    }
}
