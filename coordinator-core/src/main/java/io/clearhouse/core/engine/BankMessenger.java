package io.clearhouse.core.engine;

import io.clearhouse.core.protocol.Effect;
import io.clearhouse.core.protocol.Event;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The messages to one bank that does not answer inline: an {@link Outbox} for each kind of call gathers the branches
 * that arrive while a message of that kind is out, and sends them together ({@link BankAdapter#prepareMany}, {@link
 * BankAdapter#commitMany}, {@link BankAdapter#rollbackMany}). A bank that {@link BankAdapter#preparesAsynchronously()
 * prepares asynchronously} is called on the current thread, as its contract allows, and its answer is taken on the
 * pool; any other bank is called from the pool. A message answers for all its branches or fails as a whole: each of
 * its branches then gets the event a failed single call gives (a failed prepare, or a failed phase-two call that is
 * sent again after its pause).
 */
final class BankMessenger {
    private final Participant participant;
    private final BankAdapter bank;
    private final boolean callsInline;
    private final CoordinatorOptions options;
    private final ExecutorService pool;
    private final ScheduledExecutorService timers;
    private final EngineCounters counters;
    private final Outbox<PrepareBranch> prepares;
    private final Outbox<PhaseTwoBranch> commits;
    private final Outbox<PhaseTwoBranch> rollbacks;

    private record PrepareBranch(TransactionRun run, Effect.SendPrepare prepare) {}

    private record PhaseTwoBranch(TransactionRun run, Xid xid) {}

    BankMessenger(
            Participant participant,
            CoordinatorOptions options,
            ExecutorService pool,
            ScheduledExecutorService timers,
            EngineCounters counters) {
        this.participant = participant;
        this.bank = participant.bank();
        this.callsInline = bank.preparesAsynchronously();
        this.options = options;
        this.pool = pool;
        this.timers = timers;
        this.counters = counters;
        this.prepares = new Outbox<>(options, timers, this::sendPrepares);
        this.commits = new Outbox<>(options, timers, (message, slot) -> sendPhaseTwo(message, true, slot));
        this.rollbacks = new Outbox<>(options, timers, (message, slot) -> sendPhaseTwo(message, false, slot));
    }

    void prepare(TransactionRun run, Effect.SendPrepare prepare) {
        prepares.offer(new PrepareBranch(run, prepare));
    }

    void commit(TransactionRun run, Xid xid, int attempt) {
        offerAfterPause(commits, new PhaseTwoBranch(run, xid), attempt);
    }

    void rollback(TransactionRun run, Xid xid, int attempt) {
        offerAfterPause(rollbacks, new PhaseTwoBranch(run, xid), attempt);
    }

    /** A resend waits for its pause before it joins the outbox, so it backs off whatever message it ends up in. */
    private void offerAfterPause(Outbox<PhaseTwoBranch> outbox, PhaseTwoBranch branch, int attempt) {
        if (attempt == 0) {
            outbox.offer(branch);
        } else {
            timers.schedule(
                    () -> outbox.offer(branch), options.phaseTwoRetryDelayMillis(attempt), TimeUnit.MILLISECONDS);
        }
    }

    private boolean sendPrepares(List<PrepareBranch> queued, Outbox.Slot slot) {
        if (callsInline) {
            return prepareNow(queued, slot);
        }
        // Always from the pool, even on a pool thread: the step that made this prepare has others to send.
        pool.execute(() -> {
            if (!prepareNow(queued, slot)) {
                slot.free();
            }
        });
        return true;
    }

    /**
     * Sends the branches still wanted: one whose deadline passed while it queued has been rolled back already, and
     * its prepare would only meet the tombstone.
     */
    private boolean prepareNow(List<PrepareBranch> queued, Outbox.Slot slot) {
        List<PrepareBranch> message = new ArrayList<>(queued.size());
        List<BranchPrepare> branches = new ArrayList<>(queued.size());
        for (PrepareBranch branch : queued) {
            if (branch.run().prepareStillWanted(bank.bankId())) {
                message.add(branch);
                branches.add(new BranchPrepare(
                        branch.prepare().xid(), branch.prepare().postings()));
            }
        }
        if (message.isEmpty()) {
            return false;
        }
        counters.messageSent(message.size());
        CompletionStage<List<Vote>> votes;
        try {
            votes = bank.prepareMany(branches);
        } catch (BankException e) {
            votes = CompletableFuture.failedFuture(e);
        }
        whenAnswered(votes, slot, (given, failure) -> votesReceived(message, given, failure));
        return true;
    }

    /** A message whose answer does not give one vote per branch is as good as lost: every branch in it failed. */
    private void votesReceived(List<PrepareBranch> message, List<Vote> votes, Throwable failure) {
        boolean answered = failure == null && votes != null && votes.size() == message.size();
        for (int i = 0; i < message.size(); i++) {
            Event event = answered ? participant.voteReceived(votes.get(i)) : new Event.PrepareFailed(bank.bankId());
            message.get(i).run().deliver(event);
        }
    }

    private boolean sendPhaseTwo(List<PhaseTwoBranch> message, boolean commit, Outbox.Slot slot) {
        // On one of the pool's threads the reply has gone out already (see TransactionRun#deliver), so a message
        // sent right here delays nobody but these transactions' completion, and saves a hand-off.
        if (callsInline || EngineThreads.isPoolThread()) {
            phaseTwoNow(message, commit, slot);
        } else {
            pool.execute(() -> phaseTwoNow(message, commit, slot));
        }
        return true;
    }

    private void phaseTwoNow(List<PhaseTwoBranch> message, boolean commit, Outbox.Slot slot) {
        List<Xid> xids = new ArrayList<>(message.size());
        for (PhaseTwoBranch branch : message) {
            xids.add(branch.xid());
        }
        counters.messageSent(message.size());
        CompletionStage<Void> applied;
        try {
            applied = commit ? bank.commitMany(xids) : bank.rollbackMany(xids);
        } catch (BankException e) {
            applied = CompletableFuture.failedFuture(e);
        }
        whenAnswered(applied, slot, (ignored, failure) -> {
            Event event = failure == null ? participant.acknowledgement() : new Event.PhaseTwoFailed(bank.bankId());
            for (PhaseTwoBranch branch : message) {
                branch.run().deliver(event);
            }
        });
    }

    /**
     * A bank called inline takes its next message at once, without waiting on I/O, so it gets it before this answer is
     * handled: its log or its connection goes on working while the votes are delivered.
     */
    private static <T> BiConsumer<T, Throwable> freeFirst(Outbox.Slot slot, BiConsumer<T, Throwable> action) {
        return (value, failure) -> {
            slot.free();
            action.accept(value, failure);
        };
    }

    /** A bank called from the pool may block this thread with the next message, so the answer is handled first. */
    private static <T> BiConsumer<T, Throwable> freeAfter(Outbox.Slot slot, BiConsumer<T, Throwable> action) {
        return (value, failure) -> {
            try {
                action.accept(value, failure);
            } finally {
                slot.free();
            }
        };
    }

    /**
     * Runs {@code action} with the answer and frees the message's slot: right here when the answer is in and this
     * is a pool thread, on the pool otherwise, since a bank may complete its stage on its own thread (a log flusher,
     * an HTTP client) that must go back to its own work, and a caller's thread must not carry on other transactions.
     *
     * <p>A message still unanswered after twice the prepare timeout gives its slot up, so that a bank that lost it
     * does not hold back every later message of its kind: by then the transactions of a prepare message, and those
     * of the branches that queued behind it while it was young, have timed out; the branches of a phase-two message
     * keep waiting for their own answer.
     */
    private <T> void whenAnswered(CompletionStage<T> answer, Outbox.Slot slot, BiConsumer<T, Throwable> action) {
        CompletableFuture<T> future = answer.toCompletableFuture();
        BiConsumer<T, Throwable> thenFree = callsInline ? freeFirst(slot, action) : freeAfter(slot, action);
        if (future.isDone() && EngineThreads.isPoolThread()) {
            T value = null;
            Throwable failure = null;
            try {
                value = future.join();
            } catch (RuntimeException e) {
                failure = e;
            }
            thenFree.accept(value, failure);
            return;
        }
        Future<?> givingUp = timers.schedule(slot::free, 2 * options.prepareTimeoutMillis(), TimeUnit.MILLISECONDS);
        future.whenCompleteAsync(
                (value, failure) -> {
                    givingUp.cancel(false);
                    thenFree.accept(value, failure);
                },
                pool);
    }
}
