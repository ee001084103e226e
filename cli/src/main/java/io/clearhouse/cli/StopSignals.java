package io.clearhouse.cli;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import sun.misc.Signal;

/**
 * Ctrl-C, SIGTERM and SIGHUP turned into a request to stop that the command carries out itself, in order, instead of
 * the JVM's shutdown. The JVM runs shutdown hooks all at once, and the PostgreSQL cluster registers a hook of its
 * own, so a hook could not stop Payara (which closes the banks and the decision log) before the database goes.
 */
final class StopSignals {
    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

    private final CompletableFuture<String> requested = new CompletableFuture<>();

    private StopSignals() {}

    /** Takes over the stop signals for the rest of this JVM's life. */
    static StopSignals install() {
        StopSignals signals = new StopSignals();
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), signal -> signals.requested.complete("SIG" + signal.getName()));
            } catch (IllegalArgumentException reservedByTheJvm) {
                // Under -Xrs the JVM leaves the signal to the system default, which ends the process; the next start
                // then recovers as after a crash.
            }
        }
        return signals;
    }

    boolean isRequested() {
        return requested.isDone();
    }

    /** Completes, with the signal's name, when the first stop signal arrives. */
    CompletableFuture<String> requested() {
        return requested;
    }
}
