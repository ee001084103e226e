package io.clearhouse.ejb;

import jakarta.ejb.ApplicationException;

/**
 * The coordinator cannot answer now: it has not finished starting (recovery is running or failed), or a durable
 * outcome did not come within the reply timeout. The request may be retried with the same id; nothing is applied
 * twice.
 */
@ApplicationException
public class CoordinatorUnavailableException extends RuntimeException {
    public CoordinatorUnavailableException(String message) {
        super(message);
    }

    public CoordinatorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
