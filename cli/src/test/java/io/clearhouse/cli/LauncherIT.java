package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./clearhouse} launcher in a copy of the source tree without any build output: it builds the command line
 * on its first run, with only the command's result on standard output, and rebuilds from empty class directories when
 * a source is newer than the jar, so a class whose source is gone never ships again (a renamed migration once
 * shipped twice that way). Each run is a real Maven build, about a minute on two cores. The options in {@code
 * CLEARHOUSE_JAVA_OPTS} reach the command's JVM: with a heap too small for it, a durable batch ends at once as out of
 * memory, with nothing on stdout, and a second run with the default heap finishes it as an uninterrupted run would.
 */
class LauncherIT {
    private static final long RUN_TIMEOUT_SECONDS = 600;
    /** Build output, version control and runtime data: none of it belongs in a fresh checkout. */
    private static final Set<String> NOT_COPIED = Set.of("target", ".git", "data");

    /** The JVM's own, under the launcher's -XX:+ExitOnOutOfMemoryError. */
    private static final int OUT_OF_MEMORY_EXIT_CODE = 3;

    private static final String STALE_CLASS = "io/clearhouse/cli/RemovedSinceLastBuild.class";

    @TempDir
    Path workDirectory;

    @Test
    void buildsOnFirstUseRebuildsWithoutStaleClassesAndTakesTheUsersJvmOptions() throws Exception {
        Path checkout = workDirectory.resolve("checkout");
        copySources(Path.of("..").toAbsolutePath().normalize(), checkout);

        CommandRun first = runBatch(checkout, Map.of(), "examples/state.json", "examples/transactions.csv");

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stderr()).contains("building the command line");
        assertThat(first.stdout()).startsWith("{\"results\":[").contains("\"final_state\"");
        Path jar = checkout.resolve("cli/target/clearhouse.jar");
        assertThat(jar).isRegularFile();

        Path staleClass = checkout.resolve("cli/target/classes").resolve(STALE_CLASS);
        Files.write(staleClass, new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
        Path source = checkout.resolve("cli/src/main/java/io/clearhouse/cli/Main.java");
        FileTime editedAt =
                FileTime.from(Files.getLastModifiedTime(jar).toInstant().plusSeconds(2));
        Files.setLastModifiedTime(source, editedAt);

        CommandRun second = runBatch(checkout, Map.of(), "examples/state.json", "examples/transactions.csv");

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stderr()).contains("building the command line");
        assertThat(second.stdout()).isEqualTo(first.stdout());
        assertThat(staleClass).doesNotExist();
        try (ZipFile built = new ZipFile(jar.toFile())) {
            assertThat(built.getEntry(STALE_CLASS)).isNull();
            assertThat(built.getEntry("io/clearhouse/cli/Main.class")).isNotNull();
        }
        assertThat(Files.getLastModifiedTime(jar)).as("the jar was built again").isGreaterThan(editedAt);

        BatchInputGenerator generator = new BatchInputGenerator(20, 10, 20_261_205);
        String state = workDirectory.resolve("state.json").toString();
        String transactions = workDirectory.resolve("transactions.csv").toString();
        generator.writeState(Path.of(state));
        generator.writeTransactions(Path.of(transactions), 200_000);
        Map<String, String> smallHeap = Map.of("CLEARHOUSE_JAVA_OPTS", "-Xmx40m");
        String dataDirectory = workDirectory.resolve("data-dir").toString();

        CommandRun inMemory = runBatch(checkout, Map.of(), state, transactions);
        CommandRun outOfMemory = runBatch(checkout, smallHeap, state, transactions, "--data-dir", dataDirectory);
        CommandRun resumed = runBatch(checkout, Map.of(), state, transactions, "--data-dir", dataDirectory);

        assertThat(inMemory.exitCode()).as(inMemory.stderr()).isZero();
        assertThat(outOfMemory.exitCode()).as(outOfMemory.stderr()).isEqualTo(OUT_OF_MEMORY_EXIT_CODE);
        assertThat(outOfMemory.stderr()).contains("java.lang.OutOfMemoryError");
        assertThat(outOfMemory.stdout()).isEmpty();
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(resumed.stdout()).isEqualTo(inMemory.stdout());
    }

    private static void copySources(Path root, Path checkout) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
                    throws IOException {
                if (!directory.equals(root)
                        && NOT_COPIED.contains(directory.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(checkout.resolve(root.relativize(directory)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.copy(file, checkout.resolve(root.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private CommandRun runBatch(
            Path checkout, Map<String, String> environment, String state, String transactions, String... more)
            throws Exception {
        Path stdout = Files.createTempFile(workDirectory, "launcher", ".out");
        Path stderr = Files.createTempFile(workDirectory, "launcher", ".err");
        List<String> command = new ArrayList<>(List.of(
                checkout.resolve("clearhouse").toString(),
                "batch",
                "--initial-state",
                state,
                "--transactions",
                transactions));
        command.addAll(List.of(more));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(checkout.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        Process launcher = builder.start();
        try {
            assertThat(launcher.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .as("the launcher finished")
                    .isTrue();
            return new CommandRun(launcher.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } finally {
            // The launcher runs Maven and then java; whatever is left of them goes with it.
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }
}
