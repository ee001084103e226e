package io.clearhouse.core.log;

import io.clearhouse.core.CoordinatorException;

/** The decision log could not be opened, read or written. */
public class DecisionLogException extends CoordinatorException {
    public DecisionLogException(String message, Throwable cause) {
        super(message, cause);
    }

    public DecisionLogException(String message) {
        super(message, null);
    }
}
