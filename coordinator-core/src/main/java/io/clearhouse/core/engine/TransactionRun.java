package io.clearhouse.core.engine;

import io.clearhouse.api.Outcome;
import io.clearhouse.core.protocol.BranchState;
import io.clearhouse.core.protocol.Effect;
import io.clearhouse.core.protocol.EffectLoop;
import io.clearhouse.core.protocol.TransactionMachine;
import io.clearhouse.spi.Xid;
import java.util.List;
import java.util.concurrent.Future;

/**
 * One transaction in flight: its machine, the futures its caller waits on, and its prepare timer. Events may come
 * from several threads (votes, forced writes, timers); the {@link EffectLoop} it extends steps the machine with one
 * at a time and performs each step's effects through the {@link EngineRuntime}, outside the machine's monitor.
 */
final class TransactionRun extends EffectLoop {
    private final EngineRuntime runtime;
    private final Attempt attempt;
    private final Attempts attempts;
    private final boolean holdsPermit;
    private final boolean blocking;
    private Future<?> prepareTimer;
    private boolean prepareTimerCancelled;

    TransactionRun(
            EngineRuntime runtime,
            TransactionMachine machine,
            Attempt attempt,
            Attempts attempts,
            boolean holdsPermit,
            boolean blocking) {
        super(machine);
        this.runtime = runtime;
        this.attempt = attempt;
        this.attempts = attempts;
        this.holdsPermit = holdsPermit;
        this.blocking = blocking;
    }

    @Override
    protected void perform(Effect effect) {
        runtime.execute(this, effect);
    }

    /**
     * Whether the prepare to {@code bankId} is still wanted. When the prepare deadline passed before this prepare
     * left (it waited in the pool's queue), the rollback already went out, and the prepare would only meet its
     * tombstone, if the bank still remembers it. An earlier vote against does not make it unwanted: its vote may
     * carry the abort reason of higher precedence.
     */
    boolean prepareStillWanted(String bankId) {
        synchronized (machine()) {
            return machine().branchState(bankId) == BranchState.PREPARE_SENT;
        }
    }

    boolean blocking() {
        return blocking;
    }

    /** Keeps the timer to cancel it later; cancels it at once if the decision beat the timer's start. */
    synchronized void prepareTimer(Future<?> timer) {
        if (prepareTimerCancelled) {
            timer.cancel(false);
        } else {
            this.prepareTimer = timer;
        }
    }

    synchronized void cancelPrepareTimer() {
        prepareTimerCancelled = true;
        if (prepareTimer != null) {
            prepareTimer.cancel(false);
            prepareTimer = null;
        }
    }

    void reply(Outcome outcome) {
        attempt.replied(outcome);
    }

    /**
     * The branches phase two gave up on, read from the machine rather than gathered from its abandon effects: those
     * effects run outside the monitor, so one may still be under way on another thread when the transaction is over.
     */
    List<Xid> abandonedBranches() {
        synchronized (machine()) {
            return machine().abandonedBranches();
        }
    }

    void complete(Outcome outcome) {
        attempt.finish(outcome);
        attempts.finished(machine().clientId());
    }

    /** The outcome stands, but {@code abandoned} wait for recovery: the caller's completion fails and says which. */
    void completeInDoubt(Outcome outcome, List<Xid> abandoned) {
        attempt.replied(outcome);
        attempt.failed(new PhaseTwoIncompleteException(outcome.transactionId(), abandoned), false);
    }

    /** The decision log failed: nobody can say whether the outcome is durable, so the caller is told so. */
    void fail(Throwable failure) {
        attempt.failed(failure, true);
    }

    boolean holdsPermit() {
        return holdsPermit;
    }

    String clientId() {
        return machine().clientId();
    }

    String globalId() {
        return machine().globalId();
    }
}
