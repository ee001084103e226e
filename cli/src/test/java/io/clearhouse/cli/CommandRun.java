package io.clearhouse.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the command line with its standard output and error captured. */
record CommandRun(int exitCode, String stdout, String stderr) {
    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode =
                Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }
}
