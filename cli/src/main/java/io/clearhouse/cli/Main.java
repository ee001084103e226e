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
        System.exit(run(bufferedStandardOutput(), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs {@code args}, writing to {@code out} and {@code err}, and returns the exit code; tests run it in-process the
     * same way. A plain batch command line runs without picocli ({@link PlainBatchArguments}); every other line goes
     * through picocli's tree ({@link #commandLine}).
     */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        BatchRequest plainBatch = PlainBatchArguments.read(args);
        if (plainBatch == null) {
            return commandLine(out, err, args).execute(args);
        }
        try {
            return BatchRun.run(plainBatch, out, err);
        } catch (Exception e) {
            // What picocli does with an exception out of a command: its stack trace, and exit code 1 (an Error it
            // lets through, and so does this).
            e.printStackTrace(err);
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /**
     * Standard output, buffered: a batch prints half a million results, and an autoflushing {@code System.out}
     * would make one system call per line.
     */
    private static PrintWriter bufferedStandardOutput() {
        return new PrintWriter(
                new BufferedWriter(
                        new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8),
                        OUTPUT_BUFFER_BYTES),
                false);
    }

    /**
     * The command tree that runs {@code args}, writing to {@code out} and {@code err}. A command line that starts with
     * {@code batch} gets the tree of that subcommand alone, which behaves the same and starts faster ({@link
     * ClearhouseCommand.BatchOnly}).
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String... args) {
        CommandLine tree = args.length > 0 && args[0].equals("batch")
                ? new CommandLine(new ClearhouseCommand.BatchOnly()).addSubcommand(new BatchCommand())
                : new CommandLine(new ClearhouseCommand());
        return tree.setOut(out).setErr(err).setParameterExceptionHandler(Main::refuseCommandLine);
    }

    /**
     * A bad command line gets one line on standard error, like every other unusable input, with the way to the
     * usage rather than the whole of it.
     */
    private static int refuseCommandLine(CommandLine.ParameterException problem, String[] args) {
        CommandLine command = problem.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        command.getErr().println(name + ": " + problem.getMessage() + " (see '" + name + " --help')");
        command.getErr().flush();
        return CommandLine.ExitCode.USAGE;
    }
}
