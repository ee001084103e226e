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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./clearhouse} launcher in a copy of the source tree without any build output: it builds the command line
 * on its first run, with only the command's result on standard output, and rebuilds from empty class directories when
 * a source is newer than the jar, so a class whose source is gone never ships again (a renamed migration once
 * shipped twice that way). Each run is a real Maven build, about a minute on two cores.
 */
class LauncherIT {
    private static final long RUN_TIMEOUT_SECONDS = 600;
    /** Build output, version control and runtime data: none of it belongs in a fresh checkout. */
    private static final Set<String> NOT_COPIED = Set.of("target", ".git", "data");

    private static final String STALE_CLASS = "io/clearhouse/cli/RemovedSinceLastBuild.class";

    @TempDir
    Path workDirectory;

    @Test
    void buildsOnFirstUseAndRebuildsWithoutClassesWhoseSourceIsGone() throws Exception {
        Path checkout = workDirectory.resolve("checkout");
        copySources(Path.of("..").toAbsolutePath().normalize(), checkout);

        CommandRun first = runBatch(checkout);

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

        CommandRun second = runBatch(checkout);

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stderr()).contains("building the command line");
        assertThat(second.stdout()).isEqualTo(first.stdout());
        assertThat(staleClass).doesNotExist();
        try (ZipFile built = new ZipFile(jar.toFile())) {
            assertThat(built.getEntry(STALE_CLASS)).isNull();
            assertThat(built.getEntry("io/clearhouse/cli/Main.class")).isNotNull();
        }
        assertThat(Files.getLastModifiedTime(jar)).as("the jar was built again").isGreaterThan(editedAt);
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

    private CommandRun runBatch(Path checkout) throws Exception {
        Path stdout = Files.createTempFile(workDirectory, "launcher", ".out");
        Path stderr = Files.createTempFile(workDirectory, "launcher", ".err");
        Process launcher = new ProcessBuilder(
                        checkout.resolve("clearhouse").toString(),
                        "batch",
                        "--initial-state",
                        "examples/state.json",
                        "--transactions",
                        "examples/transactions.csv")
                .directory(checkout.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
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
