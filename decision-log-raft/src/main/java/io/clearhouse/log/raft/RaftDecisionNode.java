package io.clearhouse.log.raft;

import io.clearhouse.core.log.DecisionLogException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
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
    private final Placement placement;
    private final DecisionStateMachine stateMachine;

    private RaftDecisionNode(
            RaftServer server, RaftGroupId groupId, Placement placement, DecisionStateMachine stateMachine) {
        this.server = server;
        this.groupId = groupId;
        this.placement = placement;
        this.stateMachine = stateMachine;
    }

    /**
     * Starts the peer {@code selfId} of {@code peers}, keeping its log and snapshots in {@code storageDirectory}.
     *
     * @throws DecisionLogException if the server cannot start
     */
    public static RaftDecisionNode start(RaftPeers peers, String selfId, Path storageDirectory, RaftOptions options) {
        return start(new Placement(peers, selfId, storageDirectory, Optional.empty()), options, () -> {});
    }

    /**
     * Starts a peer as {@code placement} says.
     *
     * @param leadershipChanged told, on a Ratis thread, that this peer may have started or stopped leading or
     *     learnt of another leader; it must return at once and read {@link #leadership()} for what holds now
     * @throws DecisionLogException if the server cannot start
     */
    public static RaftDecisionNode start(Placement placement, RaftOptions options, Runnable leadershipChanged) {
        String selfId = placement.selfId();
        RaftPeers.Peer self = placement
                .peers()
                .peer(selfId)
                .orElseThrow(() -> new IllegalArgumentException(selfId + " is not a peer of the group"));
        Path storageDirectory = placement.storageDirectory();
        RaftProperties properties = properties(self, storageDirectory, options);
        placement.bindHost().ifPresent(host -> GrpcConfigKeys.Server.setHost(properties, host));
        RaftGroup group = group(placement.peers());
        DecisionStateMachine stateMachine = new DecisionStateMachine(leadershipChanged);
        try {
            RaftServer server = RaftServer.newBuilder()
                    .setGroup(group)
                    .setProperties(properties)
                    .setServerId(RaftPeerId.valueOf(selfId))
                    .setStateMachine(stateMachine)
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
            server.start();
            return new RaftDecisionNode(server, group.getGroupId(), placement, stateMachine);
        } catch (IOException e) {
            throw new DecisionLogException("cannot start Raft peer " + selfId + " in " + storageDirectory, e);
        }
    }

    private static RaftProperties properties(RaftPeers.Peer self, Path storageDirectory, RaftOptions options) {
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(storageDirectory.toFile()));
        RaftConfigKeys.Rpc.setType(properties, new PurgedLogAwareGrpc());
        GrpcConfigKeys.Server.setPort(properties, self.port());
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, millis(options.electionTimeoutMinMillis()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, millis(options.electionTimeoutMaxMillis()));
        // A leader that heard from no majority within the maximum timeout steps down, and Ratis then keeps it out of
        // elections for 10 s by default. A new leader on a cold JVM could take that long to set itself up and step
        // down at the other survivor's vote request while holding the only log that can win: no leader for 10-39 s
        // (docs/benchmarks.md, section 15). Pre-vote already keeps a cut-off peer from disturbing the others.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(
                properties, millis(options.electionTimeoutMaxMillis()));
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

    /**
     * Where a peer runs.
     *
     * @param peers the group
     * @param selfId this peer's id in the group
     * @param storageDirectory this peer's log and snapshots
     * @param bindHost the address its Raft server listens on; empty for every interface
     */
    public record Placement(RaftPeers peers, String selfId, Path storageDirectory, Optional<String> bindHost) {}

    /** What a peer is in the group. */
    public enum Role {
        LEADER,
        FOLLOWER,
        CANDIDATE,
        /** A listener, or a role Ratis may add: never a leader. */
        OTHER;

        static Role of(RaftPeerRole role) {
            return switch (role) {
                case LEADER -> LEADER;
                case FOLLOWER -> FOLLOWER;
                case CANDIDATE -> CANDIDATE;
                default -> OTHER;
            };
        }
    }

    /**
     * A peer's view of the group.
     *
     * @param role this peer's role
     * @param term the latest term this peer knows
     * @param leaderId the leader this peer knows of in that term, if any
     * @param leaderReady whether this peer leads and has applied an entry of its term, so that every entry earlier
     *     leaders committed is applied here: its coordinator may open the log for {@code term}
     */
    public record Leadership(Role role, long term, Optional<String> leaderId, boolean leaderReady) {}

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
        return leadership().role() == Role.LEADER;
    }

    /** This peer's view of the group now; it may be stale by the time the caller reads it. */
    public Leadership leadership() {
        DivisionInfo info;
        try {
            info = server.getDivision(groupId).getInfo();
        } catch (IOException e) {
            throw new DecisionLogException("cannot read the role of Raft peer " + server.getId(), e);
        }
        // The term first: a leader seen ready after it is ready in that term or a later one, never an earlier one.
        long term = info.getCurrentTerm();
        Role role = Role.of(info.getCurrentRole());
        RaftPeerId leader = info.getLeaderId();
        boolean ready = role == Role.LEADER && info.isLeaderReady();
        return new Leadership(role, term, Optional.ofNullable(leader).map(RaftPeerId::toString), ready);
    }

    Placement placement() {
        return placement;
    }

    /**
     * The state this peer applied, for lookups whose answer may lag the group's; see {@link
     * RaftDecisionLog#outcomeBeforeDeciding}.
     */
    DecisionStateMachine stateMachine() {
        return stateMachine;
    }

    /**
     * Whether this peer still takes part in the group: Ratis closes a peer whose state machine failed, and a closed
     * peer's last view of the group stays as it was; only a new start over its storage brings it back.
     */
    public boolean isAlive() {
        try {
            return server.getDivision(groupId).getInfo().isAlive();
        } catch (IOException e) {
            return false;
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
