package io.clearhouse.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds the PostgreSQL server binaries: an explicit directory, {@code CLEARHOUSE_PG_BIN}, or the newest Debian one. */
final class Binaries {
    static final String BIN_VARIABLE = "CLEARHOUSE_PG_BIN";

    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)?");

    private Binaries() {}

    static Path locate(Path configured) {
        if (configured != null) {
            return requireInitdb(configured, "the configured binDirectory");
        }
        String variable = System.getenv(BIN_VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return requireInitdb(Path.of(variable), BIN_VARIABLE);
        }
        return newestDebian()
                .orElseThrow(() -> new PostgresException("no PostgreSQL server binaries under " + DEBIAN_ROOT
                        + "/*/bin; install postgresql or set " + BIN_VARIABLE));
    }

    private static Optional<Path> newestDebian() {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
            return versions.filter(path ->
                            VERSION.matcher(path.getFileName().toString()).matches())
                    .map(path -> path.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparingDouble(bin ->
                            Double.parseDouble(bin.getParent().getFileName().toString())));
        } catch (IOException e) {
            throw new PostgresException("cannot list " + DEBIAN_ROOT, e);
        }
    }

    private static Path requireInitdb(Path directory, String source) {
        if (!Files.isExecutable(directory.resolve("initdb")) || !Files.isExecutable(directory.resolve("pg_ctl"))) {
            throw new PostgresException(source + " " + directory + " holds no executable initdb and pg_ctl");
        }
        return directory;
    }
}
