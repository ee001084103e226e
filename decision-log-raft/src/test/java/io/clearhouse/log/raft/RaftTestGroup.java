package io.clearhouse.log.raft;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** A Raft group of decision log peers in this JVM, on free loopback ports, each peer over its own directory. */
final class RaftTestGroup implements AutoCloseable {
    /** Short timeouts, so a test sees elections and given-up writes within seconds. */
    static final RaftOptions OPTIONS =
            new RaftOptions(150, 300, 1_000, 15_000, 100, 100, 64, 1 << 20, 10_000, 16, 2, 16 << 10);

    private final RaftPeers peers;
    private final Path directory;
    private final Map<String, RaftDecisionNode> running = new LinkedHashMap<>();

    private RaftTestGroup(RaftPeers peers, Path directory) {
        this.peers = peers;
        this.directory = directory;
    }

    static RaftTestGroup start(int size, Path directory) throws IOException {
        List<RaftPeers.Peer> members = new ArrayList<>();
        for (int port : RaftRehearsal.freeLoopbackPorts(size)) {
            members.add(new RaftPeers.Peer("p" + members.size(), "127.0.0.1", port));
        }
        RaftTestGroup group = new RaftTestGroup(new RaftPeers(UUID.randomUUID(), members), directory);
        members.forEach(member -> group.startPeer(member.id()));
        return group;
    }

    RaftPeers peers() {
        return peers;
    }

    /** Opens the log for the term of the peer that leads now, as that peer's coordinator would. */
    RaftDecisionLog openLog() throws InterruptedException {
        return RaftDecisionLog.open(peers, OPTIONS, readyLeader().term());
    }

    /** Starts (or restarts, over the storage it left) the peer {@code id}. */
    void startPeer(String id) {
        running.put(id, RaftDecisionNode.start(peers, id, directory.resolve(id), OPTIONS));
    }

    void closePeer(String id) {
        running.remove(id).close();
    }

    Path storageOf(String id) {
        return directory.resolve(id);
    }

    /** The id of the running peer that leads now, waiting for an election if there is none. */
    String leader() throws InterruptedException {
        return readyLeader().leaderId().orElseThrow();
    }

    /** The view of the running peer that leads now and is ready, waiting for one. */
    RaftDecisionNode.Leadership readyLeader() throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            for (RaftDecisionNode node : running.values()) {
                RaftDecisionNode.Leadership leadership = node.leadership();
                if (leadership.leaderReady()) {
                    return leadership;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no ready leader among " + running.keySet());
    }

    RaftDecisionNode node(String id) {
        return running.get(id);
    }

    /** The running peers that do not lead now. */
    List<String> followers() throws InterruptedException {
        String leader = leader();
        return running.keySet().stream().filter(id -> !id.equals(leader)).toList();
    }

    /** Closes the running peers all at once: a Ratis server takes most of a second to close. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (RaftDecisionNode node : running.values()) {
            closing.add(CompletableFuture.runAsync(node::close));
        }
        running.clear();
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
    }
}
