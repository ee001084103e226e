package io.clearhouse.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of the command line with its exit code and what it wrote to standard output and error: in this process
 * ({@link #of}), or in another that a test started.
 */
record CommandRun(int exitCode, String stdout, String stderr) {
    /** Runs the command line in this process. */
    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }
}
