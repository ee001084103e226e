package io.clearhouse.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.List;

/**
 * What {@code cluster} prints, from whichever thread: the ready lines on standard output, which scripts and tests
 * read, and everything else on standard error, each line whole and flushed at once.
 */
final class ClusterConsole {
    private final PrintWriter out;
    private final PrintWriter err;

    ClusterConsole(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** {@code Node N ready at URL (pid PID)}, each time a node's process is ready. */
    synchronized void nodeReady(ClusterNodeSpec node, long pid) {
        out.println("Node " + node.id() + " ready at " + node.apiUrl() + " (pid " + pid + ")");
        out.flush();
    }

    /** {@code Clearhouse cluster is ready, leader URL}, once. */
    synchronized void clusterReady(URI leader) {
        out.println("Clearhouse cluster is ready, leader " + leader);
        out.flush();
    }

    /** One line on standard error, after {@code clearhouse cluster: }. */
    synchronized void note(String line) {
        err.println("clearhouse cluster: " + line);
        err.flush();
    }

    /** Lines quoted on standard error, indented, such as the end of a log after a {@link #note}. */
    synchronized void quote(List<String> lines) {
        lines.forEach(line -> err.println("  " + line));
        err.flush();
    }
}
