package io.clearhouse.log.raft;

import io.clearhouse.core.log.DecisionLogException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * One peer of the group that holds a decision log: a Ratis server over its own storage directory, running a {@link
 * DecisionStateMachine}. It lives as long as its process, independently of the {@link RaftDecisionLog} a coordinator
 * opens and closes over the group. It starts with {@link RaftStorage.StartupOption#RECOVER}, which formats an empty
 * directory and recovers a used one (Ratis' default, FORMAT, refuses a directory that holds a log).
 */
public final class RaftDecisionNode implements AutoCloseable {
    private final RaftServer server;
    private final RaftGroupId groupId;

    private RaftDecisionNode(RaftServer server, RaftGroupId groupId) {
        this.server = server;
        this.groupId = groupId;
    }

    /**
     * Starts the peer {@code selfId} of {@code peers}, keeping its log and snapshots in {@code storageDirectory}.
     *
     * @throws DecisionLogException if the server cannot start
     */
    public static RaftDecisionNode start(RaftPeers peers, String selfId, Path storageDirectory, RaftOptions options) {
        RaftPeers.Peer self = peers.peer(selfId)
                .orElseThrow(() -> new IllegalArgumentException(selfId + " is not a peer of the group"));
        RaftProperties properties = properties(self, storageDirectory, options);
        RaftGroup group = group(peers);
        try {
            RaftServer server = RaftServer.newBuilder()
                    .setGroup(group)
                    .setProperties(properties)
                    .setServerId(RaftPeerId.valueOf(selfId))
                    .setStateMachine(new DecisionStateMachine())
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
            server.start();
            return new RaftDecisionNode(server, group.getGroupId());
        } catch (IOException e) {
            throw new DecisionLogException("cannot start Raft peer " + selfId + " in " + storageDirectory, e);
        }
    }

    private static RaftProperties properties(RaftPeers.Peer self, Path storageDirectory, RaftOptions options) {
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(storageDirectory.toFile()));
        GrpcConfigKeys.Server.setPort(properties, self.port());
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, millis(options.electionTimeoutMinMillis()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, millis(options.electionTimeoutMaxMillis()));
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setTimeout(properties, millis(options.requestTimeoutMillis()));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, options.snapshotThresholdEntries());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, options.snapshotsRetained());
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgeGap(properties, (int) options.snapshotThresholdEntries());
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(options.logSegmentBytesMax()));
        // Ten quick tries, then a steady pace for as long as the follower stays away (the count is Ratis' limit).
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(
                properties, "1ms,10, " + options.followerRetrySleepMillis() + "ms," + Integer.MAX_VALUE);
        return properties;
    }

    static RaftGroup group(RaftPeers peers) {
        List<RaftPeer> members = peers.peers().stream()
                .map(peer -> RaftPeer.newBuilder()
                        .setId(peer.id())
                        .setAddress(peer.address())
                        .build())
                .toList();
        return RaftGroup.valueOf(RaftGroupId.valueOf(peers.groupId()), members);
    }

    static TimeDuration millis(long millis) {
        return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
    }

    /** Whether this peer leads the group now; the answer may be stale by the time the caller reads it. */
    public boolean isLeader() {
        try {
            return server.getDivision(groupId).getInfo().isLeader();
        } catch (IOException e) {
            throw new DecisionLogException("cannot read the role of Raft peer " + server.getId(), e);
        }
    }

    /** Stops the server; its storage stays for a restart. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new DecisionLogException("cannot close Raft peer " + server.getId(), e);
        }
    }
}
