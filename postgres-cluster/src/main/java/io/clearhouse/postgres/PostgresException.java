package io.clearhouse.postgres;

/** A PostgreSQL server could not be created, started, reached or stopped; the message says which and where. */
public class PostgresException extends RuntimeException {
    public PostgresException(String message) {
        super(message);
    }

    public PostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
