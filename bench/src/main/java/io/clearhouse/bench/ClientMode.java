package io.clearhouse.bench;

import java.util.Locale;

/** How the clients of a {@link ClientLoad} wait for their outcomes. */
enum ClientMode {
    /** A thread per client, blocked on each outcome: every outcome wakes a thread that then submits the next. */
    THREADS,
    /**
     * A chain of callbacks per client, as an application built on futures runs it: the next transaction is submitted
     * from the completion of the last one, on whichever thread completed it, and no thread waits.
     */
    ASYNC;

    static ClientMode parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a client mode is threads or async, not " + name, e);
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
