package io.clearhouse.core.simulation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated coordinator's outbox for one bank and one kind of message, as the engine's: one message in flight
 * at a time; branches offered meanwhile queue and leave together, at most {@code branchesMax}, once its slot is
 * free (the message was answered, or given up on). Single-threaded, like the simulation.
 */
final class SimulatedOutbox<T> {
    /** Sends a message; calls {@code free} once its slot is free, at once when nothing of it was left to send. */
    @FunctionalInterface
    interface Sender<T> {
        void send(List<T> message, Runnable free);
    }

    private final int branchesMax;
    private final Sender<T> sender;
    private final ArrayDeque<T> queued = new ArrayDeque<>();
    private boolean inFlight;

    SimulatedOutbox(int branchesMax, Sender<T> sender) {
        this.branchesMax = branchesMax;
        this.sender = sender;
    }

    void offer(T branch) {
        queued.add(branch);
        sendIfIdle();
    }

    private void sendIfIdle() {
        while (!inFlight && !queued.isEmpty()) {
            List<T> message = new ArrayList<>();
            while (message.size() < branchesMax && !queued.isEmpty()) {
                message.add(queued.poll());
            }
            inFlight = true;
            boolean[] freed = {false};
            sender.send(message, () -> {
                // The answer and the timeout both free the slot; a duplicated answer frees it again: once counts.
                if (!freed[0]) {
                    freed[0] = true;
                    inFlight = false;
                    sendIfIdle();
                }
            });
        }
    }
}
