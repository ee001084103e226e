package io.clearhouse.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of one cluster under one root directory: the data directory {@code pgdata}, the server log, the output
 * of the commands run, and for a persistent cluster the password of its user.
 */
final class ClusterDirectory {
    /** Prefix of every throwaway cluster's directory name. */
    static final String TEMPORARY_PREFIX = "clearhouse-pg-";

    /** Holds the process id of the JVM that made a throwaway cluster, so a later JVM can tell it was abandoned. */
    static final String OWNER_FILE = "owner.pid";

    private final Path root;

    ClusterDirectory(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** Creates a new directory with a random name under {@code parent}, owned by whoever runs the server. */
    static ClusterDirectory createTemporary(Path parent, RunAs runAs) {
        runAs.requireTraversable(parent);
        try {
            Path root = Files.createTempDirectory(
                    parent,
                    "clearhouse-pg-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.writeString(
                    root.resolve(OWNER_FILE),
                    Long.toString(ProcessHandle.current().pid()));
            runAs.own(root);
            return new ClusterDirectory(root);
        } catch (IOException e) {
            throw new PostgresException("cannot create a cluster directory under " + parent, e);
        }
    }

    /** Opens, or creates, the directory of a persistent cluster. */
    static ClusterDirectory persistent(Path root, RunAs runAs) {
        try {
            Files.createDirectories(root);
            runAs.requireTraversable(root);
            runAs.own(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            return new ClusterDirectory(root);
        } catch (IOException e) {
            throw new PostgresException("cannot create the cluster directory " + root, e);
        }
    }

    Path root() {
        return root;
    }

    Path dataDirectory() {
        return root.resolve("pgdata");
    }

    /** Where a persistent cluster is initialised before it is renamed to {@link #dataDirectory()}. */
    Path newDataDirectory() {
        return root.resolve("pgdata.new");
    }

    Path serverLog() {
        return root.resolve("postgres.log");
    }

    Path commandLog() {
        return root.resolve("commands.log");
    }

    Path passwordFile() {
        return root.resolve("password");
    }

    /** Deletes {@code path} and everything under it; a path already gone is fine. */
    static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            List<Path> deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path each : deepestFirst) {
                Files.deleteIfExists(each);
            }
        } catch (IOException e) {
            throw new PostgresException("cannot delete " + path, e);
        }
    }
}
