package io.clearhouse.core.engine;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.ForwardingBank;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bank reached by messages whose answers are in the test's hands, as a bank over a slow network: each message is
 * applied to the real bank when it arrives, and its answer comes back only when the test delivers it (or fails it,
 * as a message lost on the way back), on the test's thread. It prepares asynchronously, so the coordinator sends on
 * its own thread and gathers what arrives while a message is out. Every message is recorded.
 */
final class HeldMessagesBank extends ForwardingBank {
    enum Kind {
        PREPARE,
        COMMIT,
        ROLLBACK
    }

    private final Map<Kind, BlockingQueue<HeldMessage<?>>> held = new ConcurrentHashMap<>();
    private final Map<Kind, List<List<Xid>>> sent = new ConcurrentHashMap<>();
    private boolean answeringAtOnce;

    HeldMessagesBank(BankAdapter real) {
        super(real);
        for (Kind kind : Kind.values()) {
            held.put(kind, new LinkedBlockingQueue<>());
            sent.put(kind, new CopyOnWriteArrayList<>());
        }
    }

    /** One message whose answer waits for the test. */
    record HeldMessage<T>(List<Xid> xids, T answer, CompletableFuture<T> stage) {
        void deliver() {
            stage.complete(answer);
        }

        void fail() {
            stage.completeExceptionally(new BankException(xids.get(0).bankId(), "the answer was lost"));
        }
    }

    @Override
    public boolean nonBlocking() {
        return false;
    }

    @Override
    public boolean preparesAsynchronously() {
        return true;
    }

    @Override
    public CompletionStage<List<Vote>> prepareMany(List<BranchPrepare> branches) {
        List<Xid> xids = new ArrayList<>();
        List<Vote> votes = new ArrayList<>();
        for (BranchPrepare branch : branches) {
            xids.add(branch.xid());
            votes.add(real.prepare(branch.xid(), branch.postings()));
        }
        return hold(Kind.PREPARE, xids, votes);
    }

    @Override
    public CompletionStage<Void> commitMany(List<Xid> xids) {
        xids.forEach(real::commit);
        return hold(Kind.COMMIT, xids, null);
    }

    @Override
    public CompletionStage<Void> rollbackMany(List<Xid> xids) {
        xids.forEach(real::rollback);
        return hold(Kind.ROLLBACK, xids, null);
    }

    private synchronized <T> CompletionStage<T> hold(Kind kind, List<Xid> xids, T answer) {
        sent.get(kind).add(List.copyOf(xids));
        HeldMessage<T> message = new HeldMessage<>(List.copyOf(xids), answer, new CompletableFuture<>());
        if (answeringAtOnce) {
            message.deliver();
        } else {
            held.get(kind).add(message);
        }
        return message.stage();
    }

    /** The next message of {@code kind} that arrived and is not answered yet. */
    HeldMessage<?> next(Kind kind) throws InterruptedException {
        HeldMessage<?> message = held.get(kind).poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no " + kind + " message reached the bank within 10 s");
        }
        return message;
    }

    /** Answers every message held now and every later one as it arrives. */
    synchronized void answerEverythingFromNowOn() {
        answeringAtOnce = true;
        for (BlockingQueue<HeldMessage<?>> messages : held.values()) {
            for (HeldMessage<?> message = messages.poll(); message != null; message = messages.poll()) {
                message.deliver();
            }
        }
    }

    /** The xids of every message of {@code kind} the bank received, in arrival order. */
    List<List<Xid>> sent(Kind kind) {
        return sent.get(kind);
    }

    /** How many branches each message of {@code kind} carried, in arrival order. */
    List<Integer> sizes(Kind kind) {
        return sent.get(kind).stream().map(List::size).toList();
    }
}
