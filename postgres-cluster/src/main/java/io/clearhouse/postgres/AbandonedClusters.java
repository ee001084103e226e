package io.clearhouse.postgres;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Removes throwaway clusters whose JVM died without closing them (a SIGKILL skips shutdown hooks), so that killed
 * test runs do not leave servers and directories behind for ever. A cluster counts as abandoned when the process
 * named in its owner file no longer runs.
 */
final class AbandonedClusters {
    private AbandonedClusters() {}

    static void remove(Path parent, Path bin, RunAs runAs, PostgresOptions options) {
        try (DirectoryStream<Path> clusters =
                Files.newDirectoryStream(parent, ClusterDirectory.TEMPORARY_PREFIX + "*")) {
            for (Path root : clusters) {
                if (isAbandoned(root)) {
                    removeOne(new ClusterDirectory(root), bin, runAs, options);
                }
            }
        } catch (IOException e) {
            throw new PostgresException("cannot list " + parent + " for abandoned clusters", e);
        }
    }

    private static boolean isAbandoned(Path root) {
        Optional<Long> owner = owner(root.resolve(ClusterDirectory.OWNER_FILE));
        return owner.isPresent()
                && ProcessHandle.of(owner.get()).filter(ProcessHandle::isAlive).isEmpty();
    }

    private static Optional<Long> owner(Path ownerFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(ownerFile).trim()));
        } catch (IOException | NumberFormatException e) {
            // No owner file (yet) means another JVM is creating this cluster right now: leave it alone.
            return Optional.empty();
        }
    }

    private static void removeOne(ClusterDirectory cluster, Path bin, RunAs runAs, PostgresOptions options) {
        if (Files.isDirectory(cluster.dataDirectory())) {
            ProcessRunner runner = PostgresCluster.runner(bin, runAs, cluster);
            ServerProcess.stopLeftover(runner, cluster.dataDirectory(), options, "immediate");
        }
        ClusterDirectory.deleteTree(cluster.root());
    }
}
