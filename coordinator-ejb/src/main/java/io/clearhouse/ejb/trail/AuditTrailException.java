package io.clearhouse.ejb.trail;

import jakarta.ejb.ApplicationException;

/** The audit trail's database cannot be read or written; an action that needs a record is not taken. */
@ApplicationException
public class AuditTrailException extends RuntimeException {
    public AuditTrailException(String message, Throwable cause) {
        super(message, cause);
    }
}
