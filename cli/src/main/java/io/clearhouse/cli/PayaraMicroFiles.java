package io.clearhouse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where one Payara Micro server keeps its files: a scratch directory emptied at every start, with Micro's own root
 * directory in it, the system properties file it reads its settings from, and the log its output is appended to.
 * {@code serve} has one server; {@code cluster} one per node.
 *
 * @param scratch Payara's scratch directory, deleted and made again at every start
 * @param systemProperties the settings handed to Payara with {@code --systemProperties}
 * @param log where the server's standard output and error go, appended across starts
 */
record PayaraMicroFiles(Path scratch, Path systemProperties, Path log) {
    /** Micro's root directory; its path on the server's command line identifies the server's process. */
    Path root() {
        return scratch.resolve("root");
    }

    /** The last {@code lines} lines of the log, or one line saying why it cannot be read. */
    List<String> logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(the log cannot be read: " + e.getMessage() + ")");
        }
    }
}
