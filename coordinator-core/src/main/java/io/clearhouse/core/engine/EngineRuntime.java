package io.clearhouse.core.engine;

import io.clearhouse.api.Completions;
import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.protocol.Effect;
import io.clearhouse.core.protocol.Event;
import io.clearhouse.core.recovery.InDoubtBranches;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Carries out the protocol's effects with real banks, a real decision log, executors and the wall clock. A call to
 * a {@link BankAdapter#nonBlocking() non-blocking} bank runs inline on the current thread, one branch per call, since
 * the hand-off to another thread would cost more than the call and there is nothing to wait for that gathering
 * branches would share. A bank that {@link BankAdapter#gathersBranchesItself() gathers branches itself} (a durable
 * memory bank) gets each branch as it comes too: asked inline when it prepares asynchronously, its vote taken on the
 * pool; its commits and rollbacks made on a pool thread. Every other bank gets its branches in messages through its
 * {@link BankMessenger}: branches that arrive while a message of their kind is out go together in the next one.
 */
final class EngineRuntime {
    private final CoordinatorOptions options;
    private final Map<String, Participant> participants;
    private final Map<String, BankMessenger> messengers = new HashMap<>();
    private final DecisionLog log;
    private final ExecutorService pool;
    private final ScheduledExecutorService timers;
    private final Semaphore inFlight;
    private final EngineCounters counters;
    private final InFlightTransactions transactions;
    private final InDoubtBranches inDoubt;

    EngineRuntime(
            CoordinatorOptions options,
            Map<String, BankAdapter> banks,
            DecisionLog log,
            ExecutorService pool,
            ScheduledExecutorService timers,
            Semaphore inFlight,
            EngineCounters counters,
            InFlightTransactions transactions,
            InDoubtBranches inDoubt) {
        this.options = options;
        this.participants = Participant.of(banks);
        this.log = log;
        this.pool = pool;
        this.timers = timers;
        this.inFlight = inFlight;
        this.counters = counters;
        this.transactions = transactions;
        this.inDoubt = inDoubt;
        participants.forEach((bankId, participant) -> {
            if (getsMessages(participant.bank())) {
                messengers.put(bankId, new BankMessenger(participant, options, pool, timers, counters));
            }
        });
    }

    /** Whether {@code bank} gets its branches gathered into messages rather than one call per branch. */
    private static boolean getsMessages(BankAdapter bank) {
        return !bank.nonBlocking() && !bank.gathersBranchesItself();
    }

    void execute(TransactionRun run, Effect effect) {
        if (effect instanceof Effect.SendPrepare prepare) {
            sendPrepare(run, prepare);
        } else if (effect instanceof Effect.SendCommit commit) {
            sendPhaseTwo(run, commit.xid(), true, commit.attempt());
        } else if (effect instanceof Effect.SendRollback rollback) {
            sendPhaseTwo(run, rollback.xid(), false, rollback.attempt());
        } else if (effect instanceof Effect.ForceDecision decision) {
            appendDurably(run, decision.record(), Event.DECISION_DURABLE);
        } else if (effect instanceof Effect.RecordOutcome outcome) {
            appendDurably(run, outcome.record(), Event.OUTCOME_DURABLE);
        } else if (effect instanceof Effect.Reply reply) {
            (reply.outcome().isCommitted() ? counters.committed : counters.aborted).increment();
            run.reply(reply.outcome());
        } else if (effect instanceof Effect.RecordCompletion completion) {
            log.appendLazily(completion.record());
        } else if (effect instanceof Effect.Complete complete) {
            finish(run, complete);
        } else {
            executeTimerOrAbandon(run, effect);
        }
    }

    private void executeTimerOrAbandon(TransactionRun run, Effect effect) {
        if (effect instanceof Effect.StartPrepareTimer) {
            if (run.blocking()) {
                run.prepareTimer(timers.schedule(
                        () -> run.deliver(Event.PREPARE_TIMED_OUT),
                        options.prepareTimeoutMillis(),
                        TimeUnit.MILLISECONDS));
            }
        } else if (effect instanceof Effect.CancelPrepareTimer) {
            if (run.blocking()) {
                run.cancelPrepareTimer();
            }
        } else if (effect instanceof Effect.AbandonPhaseTwo abandon) {
            // The branch is handed to recovery with the rest of the transaction's when it completes.
            counters.abandonedBranches.increment();
        } else {
            throw new IllegalStateException("unknown effect " + effect);
        }
    }

    private void sendPrepare(TransactionRun run, Effect.SendPrepare prepare) {
        Participant participant = participant(prepare.xid());
        BankAdapter bank = participant.bank();
        if (getsMessages(bank)) {
            messenger(prepare.xid()).prepare(run, prepare);
        } else if (bank.nonBlocking()) {
            prepareNow(run, participant, prepare);
        } else if (bank.preparesAsynchronously()) {
            prepareAsynchronously(run, participant, prepare);
        } else {
            pool.execute(() -> prepareNow(run, participant, prepare));
        }
    }

    /**
     * Asks on this thread and takes the vote on the pool: the bank completes the stage on its log flusher, which must
     * go back to flushing, and which must never run a client's continuation.
     */
    private void prepareAsynchronously(TransactionRun run, Participant participant, Effect.SendPrepare prepare) {
        BankAdapter bank = participant.bank();
        if (!run.prepareStillWanted(bank.bankId())) {
            return;
        }
        counters.messageSent(1);
        CompletionStage<Vote> vote;
        try {
            vote = bank.prepareAsync(prepare.xid(), prepare.postings());
        } catch (BankException e) {
            run.deliver(new Event.PrepareFailed(bank.bankId()));
            return;
        }
        vote.whenCompleteAsync(
                (given, failure) -> run.deliver(
                        failure == null ? participant.voteReceived(given) : new Event.PrepareFailed(bank.bankId())),
                pool);
    }

    private void prepareNow(TransactionRun run, Participant participant, Effect.SendPrepare prepare) {
        BankAdapter bank = participant.bank();
        if (!run.prepareStillWanted(bank.bankId())) {
            return;
        }
        counters.messageSent(1);
        Vote vote;
        try {
            vote = bank.prepare(prepare.xid(), prepare.postings());
        } catch (BankException e) {
            run.deliver(new Event.PrepareFailed(bank.bankId()));
            return;
        }
        run.deliver(participant.voteReceived(vote));
    }

    private void sendPhaseTwo(TransactionRun run, Xid xid, boolean commit, int attempt) {
        Participant participant = participant(xid);
        BankAdapter bank = participant.bank();
        if (getsMessages(bank)) {
            BankMessenger messenger = messenger(xid);
            if (commit) {
                messenger.commit(run, xid, attempt);
            } else {
                messenger.rollback(run, xid, attempt);
            }
            return;
        }
        // On one of the engine's own threads the reply has gone out already, so a commit made right here delays
        // nobody but this transaction's completion, and saves a hand-off.
        if (attempt == 0 && (bank.nonBlocking() || EngineThreads.isPoolThread())) {
            phaseTwoNow(run, participant, xid, commit);
            return;
        }
        Runnable send = () -> phaseTwoNow(run, participant, xid, commit);
        if (attempt == 0) {
            pool.execute(send);
        } else {
            timers.schedule(
                    bank.nonBlocking() ? send : () -> pool.execute(send),
                    options.phaseTwoRetryDelayMillis(attempt),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void phaseTwoNow(TransactionRun run, Participant participant, Xid xid, boolean commit) {
        BankAdapter bank = participant.bank();
        counters.messageSent(1);
        try {
            if (commit) {
                bank.commit(xid);
            } else {
                bank.rollback(xid);
            }
        } catch (BankException e) {
            run.deliver(new Event.PhaseTwoFailed(bank.bankId()));
            return;
        }
        run.deliver(participant.acknowledgement());
    }

    private void appendDurably(TransactionRun run, DecisionRecord record, Event event) {
        CompletableFuture<Void> write;
        try {
            write = log.appendDurably(record);
        } catch (DecisionLogException e) {
            logFailed(run, e);
            return;
        }
        whenDurable(run, write, event);
    }

    private void whenDurable(TransactionRun run, CompletableFuture<Void> write, Event event) {
        if (write.isDone() && !write.isCompletedExceptionally()) {
            run.deliver(event);
            return;
        }
        // The log completes writes on its own flushing thread; work goes on in the pool so that thread only flushes.
        write.whenCompleteAsync(
                (ignored, failure) -> {
                    if (failure == null) {
                        run.deliver(event);
                    } else {
                        logFailed(run, failure);
                    }
                },
                pool);
    }

    private void logFailed(TransactionRun run, Throwable failure) {
        Throwable cause = Completions.cause(failure);
        // Released first: once its caller hears of the failure, a recovery pass takes the branches for those of a
        // transaction that is over, and resolves them by what the log holds.
        release(run);
        run.fail(new DecisionLogException("transaction " + run.clientId() + ": the decision log failed", cause));
    }

    private void finish(TransactionRun run, Effect.Complete complete) {
        if (complete.inDoubt()) {
            List<Xid> abandoned = run.abandonedBranches();
            // Remembered before the transaction leaves the in-flight set, so a recovery pass sees it one way or the
            // other, never neither.
            inDoubt.remember(
                    run.globalId(),
                    run.clientId(),
                    abandoned,
                    complete.outcome().isCommitted());
            run.completeInDoubt(complete.outcome(), abandoned);
        } else {
            run.complete(complete.outcome());
        }
        release(run);
    }

    private void release(TransactionRun run) {
        transactions.end(run.globalId());
        if (run.holdsPermit()) {
            inFlight.release();
        }
    }

    private BankMessenger messenger(Xid xid) {
        return messengers.get(xid.bankId());
    }

    private Participant participant(Xid xid) {
        Participant participant = participants.get(xid.bankId());
        if (participant == null) {
            throw new IllegalStateException("no bank " + xid.bankId() + " for " + xid);
        }
        return participant;
    }
}
