package io.clearhouse.bankserver;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import sun.misc.Signal;

/**
 * Ctrl-C, SIGTERM and SIGHUP turned into a request to stop that the command carries out itself, in order, instead of
 * the JVM's shutdown. A shutdown hook would end the JVM with exit code 143 after SIGTERM, and a clean stop must end
 * with 0. The JVM also runs shutdown hooks all at once, and the PostgreSQL cluster of {@code clearhouse serve}
 * registers a hook of its own, so a hook could not stop Payara (which closes the banks and the decision log) before
 * the database goes.
 *
 * <p>Public because {@code clearhouse serve} in the command line uses it too. It lives here, with the {@code
 * bank-server} command, because this module is the lowest one that holds a command: the command line depends on it,
 * while it must not depend on the command line, and a module of its own for one class would cost more than it says.
 */
public final class StopSignals {
    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

    private final CompletableFuture<String> requested = new CompletableFuture<>();

    private StopSignals() {}

    /** Takes over the stop signals for the rest of this JVM's life. */
    public static StopSignals install() {
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

    /** Whether a stop signal has arrived. */
    public boolean isRequested() {
        return requested.isDone();
    }

    /** Completes, with the signal's name, when the first stop signal arrives. */
    public CompletableFuture<String> requested() {
        return requested;
    }
}
