package io.clearhouse.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** The entry point of the runnable jar. */
public final class Main {
    private static final int OUTPUT_BUFFER_BYTES = 1 << 16;

    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command tree, with standard output buffered: a batch prints half a million results, and an autoflushing
     * {@code System.out} would make one system call per line.
     */
    static CommandLine commandLine() {
        PrintWriter out = new PrintWriter(
                new BufferedWriter(
                        new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8),
                        OUTPUT_BUFFER_BYTES),
                false);
        return new CommandLine(new ClearhouseCommand()).setOut(out);
    }
}
