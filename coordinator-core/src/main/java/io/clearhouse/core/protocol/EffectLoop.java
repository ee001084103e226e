package io.clearhouse.core.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Drives one {@link TransactionMachine}: events go into an inbox, and one thread at a time drains it, stepping the
 * machine with the next event and then performing every effect of that step before it takes the next. An effect
 * whose result is at hand at once (an in-memory bank's vote, a write that is durable already) delivers its event
 * into the inbox instead of stepping the machine from inside the effect, so no call chain re-enters the transaction
 * and the stack stays flat however long the chain of steps. An event delivered from another thread while one drains
 * is left in the inbox for the draining thread, which returns only once the inbox is empty.
 *
 * <p>The order in which effects start is the protocol's one contract for every runtime: the effects of one step are
 * performed before the machine takes another event; among them the {@link Effect.Reply} goes first, so that a
 * phase-two call made inline never holds up the client, then the others in the order the machine emitted them;
 * events are taken in the order they were delivered. The machine emits an effect only once all it depends on has
 * happened, so this order is a choice for the client's latency and for reproducible runs, never for safety.
 *
 * <p>A runtime extends this class for its own record of a transaction in flight, which spares each transaction a
 * separate loop object. Each step runs under the machine's monitor, so that readers of its state synchronise on the machine too; the
 * effects run outside it, so no lock is held across a bank call or a log write.
 */
public abstract class EffectLoop implements EffectSink {
    private static final int INBOX_CAPACITY = 2;
    /** Effects beyond one per branch that a step may emit: the step that sends every commit also replies, records the
     * completion and completes. */
    private static final int EFFECTS_BEYOND_BRANCHES = 3;

    private final TransactionMachine machine;
    /** The effects of the step being performed; only the draining thread touches them, emptied after each step. */
    private Effect[] effects;

    private int effectCount;
    private boolean stepping;
    /** A ring of events waiting for the draining thread; made at the first event, grown when full. */
    private Event[] inbox;

    private int inboxHead;
    private int inboxSize;
    private boolean draining;

    protected EffectLoop(TransactionMachine machine) {
        this.machine = Objects.requireNonNull(machine, "machine");
    }

    /** Starts one effect; any event it yields goes back through {@link #deliver}. */
    protected abstract void perform(Effect effect);

    /** Called after the effects of each step were performed; the simulation looks at the machine here. */
    protected void stepped() {}

    protected final TransactionMachine machine() {
        return machine;
    }

    /** Takes an effect from the machine during a step; nobody else adds effects. */
    @Override
    public final void add(Effect effect) {
        Objects.requireNonNull(effect, "effect");
        if (!stepping) {
            throw new IllegalStateException("an effect can only come from a step of the machine");
        }
        if (effects == null) {
            effects = new Effect[machine.branchCount() + EFFECTS_BEYOND_BRANCHES];
        } else if (effectCount == effects.length) {
            effects = Arrays.copyOf(effects, effectCount * 2);
        }
        effects[effectCount++] = effect;
    }

    /**
     * Delivers {@code event}: drains the inbox on this thread when no other thread is draining it, else leaves the
     * event to the one that is. An exception from an effect ends this drain and reaches the caller; events still in
     * the inbox then wait for the next delivery.
     */
    public final void deliver(Event event) {
        Objects.requireNonNull(event, "event");
        synchronized (machine) {
            enqueue(event);
            if (draining) {
                return;
            }
            draining = true;
        }
        boolean drained = false;
        try {
            drain();
            drained = true;
        } finally {
            if (!drained) {
                synchronized (machine) {
                    draining = false;
                }
            }
        }
    }

    private void drain() {
        while (true) {
            synchronized (machine) {
                Event next = dequeue();
                if (next == null) {
                    draining = false;
                    return;
                }
                stepping = true;
                try {
                    machine.step(next, this);
                } finally {
                    stepping = false;
                }
            }
            try {
                performInContractOrder();
            } finally {
                if (effectCount > 0) {
                    Arrays.fill(effects, 0, effectCount, null);
                    effectCount = 0;
                }
            }
            stepped();
        }
    }

    private void performInContractOrder() {
        int count = effectCount;
        for (int i = 0; i < count; i++) {
            if (effects[i] instanceof Effect.Reply) {
                perform(effects[i]);
            }
        }
        for (int i = 0; i < count; i++) {
            if (!(effects[i] instanceof Effect.Reply)) {
                perform(effects[i]);
            }
        }
    }

    private void enqueue(Event event) {
        if (inbox == null) {
            inbox = new Event[INBOX_CAPACITY];
        } else if (inboxSize == inbox.length) {
            Event[] grown = new Event[inbox.length * 2];
            for (int i = 0; i < inboxSize; i++) {
                grown[i] = inbox[(inboxHead + i) % inbox.length];
            }
            inbox = grown;
            inboxHead = 0;
        }
        inbox[(inboxHead + inboxSize) % inbox.length] = event;
        inboxSize++;
    }

    private Event dequeue() {
        if (inboxSize == 0) {
            return null;
        }
        Event next = inbox[inboxHead];
        inbox[inboxHead] = null;
        inboxHead = (inboxHead + 1) % inbox.length;
        inboxSize--;
        return next;
    }
}
