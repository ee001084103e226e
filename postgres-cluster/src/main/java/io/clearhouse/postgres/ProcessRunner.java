package io.clearhouse.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PostgreSQL programs, as the unprivileged user when the JVM is root. Their output goes to a file rather
 * than a pipe: {@code pg_ctl start} leaves a server running that could otherwise hold the pipe open forever.
 */
final class ProcessRunner {
    private static final int OUTPUT_TAIL_CHARACTERS = 2000;

    private final Path binDirectory;
    private final List<String> runAs;
    private final Path workingDirectory;
    private final Path outputFile;

    ProcessRunner(Path binDirectory, List<String> runAs, Path workingDirectory, Path outputFile) {
        this.binDirectory = binDirectory;
        this.runAs = List.copyOf(runAs);
        this.workingDirectory = workingDirectory;
        this.outputFile = outputFile;
    }

    /** Runs {@code program} from the binary directory and fails unless it exits with 0 in time. */
    void run(long timeoutMillis, String stdin, String program, String... arguments) {
        int exitCode = exitCodeOf(timeoutMillis, stdin, program, arguments);
        if (exitCode != 0) {
            throw new PostgresException(program + " exited with " + exitCode + ": " + outputTail());
        }
    }

    /** Runs {@code program} and returns its exit code, for programs such as {@code pg_ctl status} that answer so. */
    int exitCodeOf(long timeoutMillis, String stdin, String program, String... arguments) {
        List<String> command = new ArrayList<>(runAs);
        command.add(binDirectory.resolve(program).toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
        cleanEnvironment(builder.environment());
        try {
            Process process = builder.start();
            try (var input = process.getOutputStream()) {
                if (stdin != null) {
                    input.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new PostgresException(
                        command.get(runAs.size()) + " did not finish in " + timeoutMillis + " ms: " + outputTail());
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new PostgresException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresException("interrupted while running " + command, e);
        }
    }

    /** Keeps the caller's PG* variables from steering psql or pg_ctl to another server or password file. */
    private void cleanEnvironment(Map<String, String> environment) {
        environment.keySet().removeIf(name -> name.startsWith("PG"));
        environment.put("HOME", workingDirectory.toString());
        environment.put("LC_ALL", "C");
    }

    String outputTail() {
        return tail(outputFile);
    }

    static String tail(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.substring(Math.max(0, text.length() - OUTPUT_TAIL_CHARACTERS));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
