package io.clearhouse.core.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The branches of one kind (prepare, commit or rollback) bound for one bank, gathered into messages. A branch
 * offered while fewer than {@code inFlightMax} messages are out leaves at once, in a message of its own or with
 * what queued before it; one offered while the limit is out waits, and when a message is answered, what queued
 * meanwhile leaves as the next message, at most {@code branchesMax} branches. So a bank that answers slowly gets
 * fewer, larger messages, and one that answers at once gets what it would have got one by one. A linger of more
 * than 0 holds a branch that finds room back for that long, so that branches arriving close together share a
 * message even when the bank is idle.
 *
 * <p>Thread-safe: the queue and the count of messages out are guarded by this object's monitor; the {@link Sender}
 * is called after the monitor is released, so no lock is held across a bank call.
 */
final class Outbox<T> {
    /**
     * Sends one message and frees its {@link Slot} once it is answered; returns false, without touching the slot,
     * when nothing of it was left to send, which frees the slot at once.
     */
    @FunctionalInterface
    interface Sender<T> {
        boolean send(List<T> message, Slot slot);
    }

    /**
     * The place of one message among those in flight. Freed when the message is answered, or when the sender gives
     * up waiting for its answer; whichever comes first frees it, the other does nothing.
     */
    static final class Slot {
        private final AtomicBoolean free = new AtomicBoolean();
        private final Runnable onFree;

        private Slot(Runnable onFree) {
            this.onFree = onFree;
        }

        void free() {
            if (free.compareAndSet(false, true)) {
                onFree.run();
            }
        }
    }

    private final int branchesMax;
    private final int inFlightMax;
    private final long lingerMillis;
    private final ScheduledExecutorService timers;
    private final Sender<T> sender;
    private final ArrayDeque<T> queued = new ArrayDeque<>();
    private int inFlight;
    private boolean flushScheduled;

    Outbox(CoordinatorOptions options, ScheduledExecutorService timers, Sender<T> sender) {
        this.branchesMax = options.bankMessageBranchesMax();
        this.inFlightMax = options.bankMessagesInFlightMax();
        this.lingerMillis = options.bankMessageLingerMillis();
        this.timers = timers;
        this.sender = sender;
    }

    /** Queues {@code branch}, and sends a message if one may leave now. */
    void offer(T branch) {
        List<T> message;
        boolean scheduleFlush = false;
        synchronized (this) {
            queued.add(branch);
            message = takeIfRoom(lingerMillis == 0 || queued.size() >= branchesMax);
            if (message.isEmpty() && lingerMillis > 0 && !flushScheduled && inFlight < inFlightMax) {
                flushScheduled = true;
                scheduleFlush = true;
            }
        }
        if (scheduleFlush) {
            timers.schedule(this::flush, lingerMillis, TimeUnit.MILLISECONDS);
        }
        send(message);
    }

    /** A message's slot is free: what queued meanwhile may leave. */
    private void answered() {
        List<T> message;
        synchronized (this) {
            inFlight--;
            message = takeIfRoom(true);
        }
        send(message);
    }

    private void flush() {
        List<T> message;
        synchronized (this) {
            flushScheduled = false;
            message = takeIfRoom(true);
        }
        send(message);
    }

    /** Sends {@code message} unless it is empty; a message with nothing left to send gives its slot to the next. */
    private void send(List<T> message) {
        List<T> next = message;
        while (!next.isEmpty() && !sender.send(next, new Slot(this::answered))) {
            synchronized (this) {
                inFlight--;
                next = takeIfRoom(true);
            }
        }
    }

    /** The next message, counted as out, when {@code ready} and a slot is free; empty otherwise. Under the monitor. */
    private List<T> takeIfRoom(boolean ready) {
        if (!ready || inFlight >= inFlightMax || queued.isEmpty()) {
            return List.of();
        }
        int size = Math.min(branchesMax, queued.size());
        List<T> message = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            message.add(queued.poll());
        }
        inFlight++;
        return message;
    }
}
