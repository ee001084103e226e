package io.clearhouse.core.recovery;

import io.clearhouse.core.CoordinatorException;

/** Recovery could not resolve a branch because its bank kept failing. */
public class RecoveryException extends CoordinatorException {
    public RecoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
