package io.clearhouse.web.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Redocly CLI, a maintained OpenAPI linter from the npm registry, run on a document with its recommended rules:
 * installed once into {@code target/redocly} at a pinned version with the machine's npm.
 */
final class OpenApiLint {
    static final String REDOCLY = "@redocly/cli@2.77.0";
    private static final Path DIRECTORY = Path.of("target", "redocly").toAbsolutePath();
    private static final long INSTALL_TIMEOUT_SECONDS = 600;
    private static final long LINT_TIMEOUT_SECONDS = 120;

    record Result(int exitCode, String output) {}

    private OpenApiLint() {}

    /**
     * Lints the document as Payara serves it, minus the {@code endpoints} member Payara 6 adds at its root: no
     * OpenAPI member, so a strict linter's error, and not ours to remove (Payara names it {@code x-endpoints} from
     * 2026 on: payara/Payara#7891). Everything else is linted as served.
     */
    static Result lint(String servedDocument) throws IOException, InterruptedException {
        return lintAsIs(withoutRootMember(servedDocument, "endpoints"));
    }

    /** The YAML text without one member of its root mapping: its key line and the indented lines under it. */
    static String withoutRootMember(String yaml, String member) {
        StringBuilder kept = new StringBuilder();
        boolean skipping = false;
        for (String line : yaml.split("\n", -1)) {
            boolean rootLine = !line.isEmpty() && !line.startsWith(" ") && !line.startsWith("-");
            if (rootLine) {
                skipping = line.startsWith(member + ":");
            }
            if (!skipping) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }

    private static Result lintAsIs(String document) throws IOException, InterruptedException {
        Path linter = DIRECTORY.resolve("node_modules/.bin/redocly");
        if (!Files.isExecutable(linter)) {
            Files.createDirectories(DIRECTORY);
            Result install = run(
                    List.of("npm", "install", "--prefix", DIRECTORY.toString(), "--no-audit", "--no-fund", REDOCLY),
                    INSTALL_TIMEOUT_SECONDS);
            if (install.exitCode() != 0) {
                throw new IllegalStateException("npm could not install " + REDOCLY + ": " + install.output());
            }
        }
        Path file = DIRECTORY.resolve("openapi-served.yaml");
        Files.writeString(file, document);
        return run(List.of(linter.toString(), "lint", file.toString()), LINT_TIMEOUT_SECONDS);
    }

    /** Runs a command to its end, killing it by its process id if it outlives the timeout. */
    private static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path output = Files.createTempFile(DIRECTORY, "lint", ".out");
        Process process = new ProcessBuilder(command)
                .directory(DIRECTORY.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(command + " did not end within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }
}
