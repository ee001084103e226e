package io.clearhouse.log.raft;

import io.clearhouse.core.log.DecisionLogException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A group of two peers of its own, in this JVM, on loopback ports, over a temporary directory, that lives only long
 * enough for one of them to lead: a node that has never led runs Ratis' leader code here first (the leader's state,
 * its log appender, the first entry of a term), so that its first real leadership, which a fail-over waits for,
 * does not load and run that code for the first time. On a cold JVM that took 0.4-1 s of a fail-over
 * (docs/benchmarks.md, section 15).
 */
public final class RaftRehearsal implements AutoCloseable {
    private static final int PEERS = 2;
    private static final Duration POLL = Duration.ofMillis(10);

    private final Path directory;
    private final List<RaftDecisionNode> nodes;

    private RaftRehearsal(Path directory, List<RaftDecisionNode> nodes) {
        this.directory = directory;
        this.nodes = nodes;
    }

    /**
     * Starts the two peers with {@code options}, the options of the node's real peer.
     *
     * @throws DecisionLogException if a peer cannot start
     */
    public static RaftRehearsal start(RaftOptions options) {
        Path directory;
        List<RaftPeers.Peer> members = new ArrayList<>();
        try {
            directory = Files.createTempDirectory("clearhouse-raft-rehearsal");
            for (int port : freeLoopbackPorts(PEERS)) {
                members.add(new RaftPeers.Peer("rehearsal-" + members.size(), "127.0.0.1", port));
            }
        } catch (IOException e) {
            throw new DecisionLogException("cannot prepare a rehearsal of leadership", e);
        }
        RaftPeers peers = new RaftPeers(UUID.randomUUID(), members);
        RaftRehearsal rehearsal = new RaftRehearsal(directory, new ArrayList<>());
        try {
            for (RaftPeers.Peer member : members) {
                rehearsal.nodes.add(
                        RaftDecisionNode.start(peers, member.id(), directory.resolve(member.id()), options));
            }
            return rehearsal;
        } catch (RuntimeException e) {
            rehearsal.close();
            throw e;
        }
    }

    /** {@code count} distinct loopback ports that were free a moment ago. */
    static List<Integer> freeLoopbackPorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /**
     * The peer that leads once it has committed the first entry of its term, waiting for the election.
     *
     * @throws TimeoutException if none is ready within {@code timeout}
     */
    public RaftDecisionNode readyLeader(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (RaftDecisionNode node : nodes) {
                if (node.leadership().leaderReady()) {
                    return node;
                }
            }
            // Ratis tells a state machine of leadership on its own threads; a rehearsal need not be prompt.
            Thread.sleep(POLL.toMillis());
        }
        throw new TimeoutException("no peer of the rehearsal led within " + timeout);
    }

    /** Closes both peers at once (a Ratis server takes most of a second to close) and deletes their storage. */
    @Override
    public void close() {
        CompletableFuture.allOf(nodes.stream()
                        .map(node -> CompletableFuture.runAsync(node::close))
                        .toArray(CompletableFuture[]::new))
                .join();
        nodes.clear();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the rehearsal's storage " + directory, e);
        }
    }
}
