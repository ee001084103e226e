package io.clearhouse.core;

/**
 * An infrastructure failure of the coordinator (its log, a bank during recovery), with enough context to act on.
 * Business outcomes are never exceptions, and broken invariants are {@link IllegalStateException}s.
 */
public class CoordinatorException extends RuntimeException {
    public CoordinatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
