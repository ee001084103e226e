package io.clearhouse.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who runs the server. PostgreSQL refuses to start as root, so a root JVM runs the programs through {@code runuser}
 * as an unprivileged user and hands that user the directories the server writes; any other JVM runs them itself.
 */
final class RunAs {
    private static final List<Path> RUNUSER = List.of(Path.of("/usr/sbin/runuser"), Path.of("/sbin/runuser"));

    private final String user;

    private RunAs(String user) {
        this.user = user;
    }

    static RunAs detect(String unprivilegedUser) {
        return isRoot() ? new RunAs(unprivilegedUser) : new RunAs(null);
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    List<String> commandPrefix() {
        if (user == null) {
            return List.of();
        }
        String runuser = RUNUSER.stream()
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst()
                .orElse("runuser");
        return List.of(runuser, "-u", user, "--");
    }

    /** Gives {@code path} to the unprivileged user, when there is one. */
    void own(Path path) {
        if (user == null) {
            return;
        }
        try {
            UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal owner = lookup.lookupPrincipalByName(user);
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(user);
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            view.setOwner(owner);
            view.setGroup(group);
        } catch (IOException e) {
            throw new PostgresException("cannot give " + path + " to user " + user, e);
        }
    }

    /**
     * Fails unless the unprivileged user can reach {@code directory}: every directory above it must let others
     * through, or belong to that user. A directory under {@code /root} or a private build tree fails here, early and
     * with a clear message, instead of inside {@code initdb}.
     */
    void requireTraversable(Path directory) {
        Optional<Path> blocking = firstBlocking(directory);
        if (blocking.isPresent()) {
            throw new PostgresException("user " + user + " cannot traverse " + blocking.get() + " to reach " + directory
                    + "; choose a directory elsewhere, such as under /tmp");
        }
    }

    /** The first directory on the way to {@code directory} that the unprivileged user may not pass, if any. */
    Optional<Path> firstBlocking(Path directory) {
        if (user == null) {
            return Optional.empty();
        }
        for (Path path = directory.toAbsolutePath(); path != null; path = path.getParent()) {
            if (!Files.exists(path)) {
                continue;
            }
            try {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
                boolean owned = user.equals(Files.getOwner(path).getName());
                if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)
                        && !(owned && permissions.contains(PosixFilePermission.OWNER_EXECUTE))) {
                    return Optional.of(path);
                }
            } catch (IOException e) {
                throw new PostgresException("cannot read the permissions of " + path, e);
            }
        }
        return Optional.empty();
    }
}
