package io.clearhouse.cli;

import java.nio.file.Path;

/** An input file or directory that cannot be used; the command ends with exit code 2 and this one-line message. */
final class InputFileException extends Exception {
    InputFileException(String role, Path path, String problem) {
        super(role + " " + path + ": " + oneLine(problem));
    }

    InputFileException(String role, Path path, String problem, Throwable cause) {
        super(role + " " + path + ": " + oneLine(problem), cause);
    }

    /** A problem whose message names its file and place already, such as the banks file's. */
    InputFileException(IllegalArgumentException describedProblem) {
        super(oneLine(describedProblem.getMessage()), describedProblem);
    }

    private static String oneLine(String text) {
        return text == null ? "unknown problem" : text.replaceAll("\\s+", " ").strip();
    }
}
