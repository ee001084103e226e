package io.clearhouse.bench.floor;

/** An input file the floor cannot use: the file and what is wrong, in one line, for exit code 2. */
final class UnusableInputException extends Exception {
    private static final long serialVersionUID = 1L;

    UnusableInputException(String message) {
        super(message);
    }

    UnusableInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
