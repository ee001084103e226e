package io.clearhouse.web.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling with a deadline, instead of sleeping for a guessed time. */
final class Await {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Await() {}

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        value(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /** Polls until {@code value} answers something, and answers it; fails naming {@code what} after a minute. */
    static <T> T value(String what, Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            T answer = value.get();
            if (answer != null) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
