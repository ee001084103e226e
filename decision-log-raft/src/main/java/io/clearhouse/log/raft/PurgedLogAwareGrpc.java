package io.clearhouse.log.raft;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * Ratis' gRPC transport, with a leader that can send entries to a follower whose log ends right before the leader's
 * first one.
 *
 * <p>A leader starts its term in a new log segment and purges whole segments up to a snapshot. So once it snapshots
 * and purges, its log can begin right after the last entry of the term before, which is exactly where the log of a
 * peer that led that term and stopped ends. To send that peer the leader's first entry, Ratis needs the term of the
 * entry before it, which it looks for in the log (purged) and in the latest snapshot (later), and, finding neither,
 * sends nothing, forever in Ratis 3.2 (its log appender dies) and until the next purge in 3.3. The peer looks
 * rejoined and gets nothing; lose one more peer and no majority is left. The entry before is committed and this
 * peer applied it, so its term is known here: {@link AppliedTerms}.
 *
 * <p>Ratis finds a transport by the class name in its properties and creates it with its no-argument constructor.
 */
public final class PurgedLogAwareGrpc implements RpcType {
    @Override
    public String name() {
        return PurgedLogAwareGrpc.class.getName();
    }

    @Override
    public RpcFactory newFactory(Parameters parameters) {
        return new GrpcFactory(parameters) {
            @Override
            public LogAppender newLogAppender(RaftServer.Division server, LeaderState leader, FollowerInfo follower) {
                return new Appender(server, leader, follower);
            }
        };
    }

    private static final class Appender extends GrpcLogAppender {
        Appender(RaftServer.Division server, LeaderState leader, FollowerInfo follower) {
            super(server, leader, follower);
        }

        @Override
        public TermIndex getPrevious(long nextIndex) {
            TermIndex previous = super.getPrevious(nextIndex);
            if (previous == null && nextIndex > 0 && getServer().getStateMachine() instanceof DecisionStateMachine m) {
                return m.appliedTermIndexOf(nextIndex - 1);
            }
            return previous;
        }
    }
}
