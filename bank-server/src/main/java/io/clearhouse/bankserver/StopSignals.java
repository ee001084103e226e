package io.clearhouse.bankserver;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import sun.misc.Signal;

/**
 * Ctrl-C, SIGTERM and SIGHUP turned into a request to stop that the command carries out itself, as {@code serve}
 * does: a shutdown hook would end the JVM with exit code 143 after SIGTERM, and a clean stop must end with 0.
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
                // then restores the banks as after a crash.
            }
        }
        return signals;
    }

    /** Completes, with the signal's name, when the first stop signal arrives. */
    CompletableFuture<String> requested() {
        return requested;
    }
}
