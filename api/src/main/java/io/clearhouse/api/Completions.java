package io.clearhouse.api;

import java.util.concurrent.CompletionException;

/** What a stage of a {@code CompletableFuture} chain is told when an earlier stage failed. */
public final class Completions {
    private Completions() {}

    /**
     * The failure itself: a stage after the one that failed sees it wrapped in a {@link CompletionException}, the
     * failing stage itself sees it bare, and a handler must treat both alike.
     */
    public static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
