package io.clearhouse.xa;

import javax.transaction.xa.XAException;

/** XA errors with a message and a cause, which {@link XAException}'s constructors cannot carry together. */
final class XaErrors {
    private XaErrors() {}

    static XAException error(int errorCode, String message) {
        XAException error = new XAException(message);
        error.errorCode = errorCode;
        return error;
    }

    static XAException error(int errorCode, String message, Throwable cause) {
        XAException error = error(errorCode, message + ": " + cause.getMessage());
        error.initCause(cause);
        return error;
    }
}
