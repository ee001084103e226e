package io.clearhouse.bench;

import io.clearhouse.log.raft.RaftDecisionLog;
import io.clearhouse.log.raft.RaftDecisionNode;
import io.clearhouse.log.raft.RaftOptions;
import io.clearhouse.log.raft.RaftPeers;
import io.clearhouse.log.raft.StaleLeadershipException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A Raft group of {@link RaftPeerProcess}es on this machine's loopback address, each peer in its own JVM with its
 * storage under one directory, and the decision log the benchmark's engine opens over it. The engine opens the log
 * as a server's coordinator does: for the term in which a peer leads and is ready, which that peer tells.
 */
final class RaftPeerGroup implements AutoCloseable {
    /** The server's election timeouts and write bound ({@code clearhouse.raft.*} defaults), so both run alike. */
    static final RaftOptions OPTIONS =
            RaftOptions.defaults().withElectionTimeouts(300, 600).withWriteTimeoutMillis(10_000);
    /** A peer holds a log and a state machine, no coordinator: half a cluster node's heap is plenty. */
    static final List<String> PEER_JVM_OPTIONS = List.of("-Xms256m", "-Xmx256m", "-XX:-UsePerfData");

    static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 50;
    private static final String HOST = "127.0.0.1";

    private final RaftPeers peers;
    private final List<RaftPeerProcess> processes;

    private RaftPeerGroup(RaftPeers peers, List<RaftPeerProcess> processes) {
        this.peers = peers;
        this.processes = processes;
    }

    /** Starts {@code size} peers on free ports, peer N keeping its storage in {@code directory/peer-N}. */
    static RaftPeerGroup start(int size, Path directory) {
        List<RaftPeers.Peer> members = new ArrayList<>();
        for (int peer = 1; peer <= size; peer++) {
            members.add(new RaftPeers.Peer(Integer.toString(peer), HOST, freePort()));
        }
        RaftPeers peers = new RaftPeers(UUID.randomUUID(), members);
        List<RaftPeerProcess> processes = new ArrayList<>();
        try {
            for (RaftPeers.Peer peer : members) {
                Path storage = directory.resolve("peer-" + peer.id());
                processes.add(RaftPeerProcess.start(
                        peer.id(), PEER_JVM_OPTIONS, arguments(peers, peer, storage), storage.resolve("stderr.log")));
            }
            return new RaftPeerGroup(peers, processes);
        } catch (RuntimeException e) {
            processes.forEach(RaftPeerProcess::close);
            throw e;
        }
    }

    private static List<String> arguments(RaftPeers peers, RaftPeers.Peer self, Path storage) {
        return List.of(
                "--group-id", peers.groupId().toString(),
                "--peers", RaftPeerCommand.peersText(peers),
                "--self", self.id(),
                "--dir", storage.resolve("raft").toString(),
                "--election-timeout-min-millis", Long.toString(OPTIONS.electionTimeoutMinMillis()),
                "--election-timeout-max-millis", Long.toString(OPTIONS.electionTimeoutMaxMillis()));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    /**
     * Opens the decision log for the term of the peer that leads and is ready; if another peer leads by the time
     * the opening is appended, asks again who leads.
     *
     * @throws IllegalStateException if no peer leads and is ready within {@link #LEADER_TIMEOUT}
     */
    RaftDecisionLog openLog() throws InterruptedException {
        long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<RaftDecisionNode.Leadership> leader = readyLeader();
            if (leader.isPresent()) {
                try {
                    return RaftDecisionLog.open(peers, OPTIONS, leader.get().term());
                } catch (StaleLeadershipException e) {
                    // A newer leader holds the group: its term is the one to open for.
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new IllegalStateException("no Raft peer led and was ready within " + LEADER_TIMEOUT);
    }

    private Optional<RaftDecisionNode.Leadership> readyLeader() {
        for (RaftPeerProcess process : processes) {
            RaftDecisionNode.Leadership leadership = process.leadership();
            if (leadership.leaderReady()) {
                return Optional.of(leadership);
            }
        }
        return Optional.empty();
    }

    /** Stops every peer; their storage stays. */
    @Override
    public void close() {
        processes.forEach(RaftPeerProcess::close);
    }
}
