package io.clearhouse.bench;

import io.clearhouse.log.raft.RaftDecisionNode;
import io.clearhouse.log.raft.RaftOptions;
import io.clearhouse.log.raft.RaftPeers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One peer of a Raft decision log in a JVM of its own, for the durable benchmark's {@code --decision-log raft}: it
 * starts a {@link RaftDecisionNode}, prints {@value #READY_PREFIX} and its id, and then answers each line {@value
 * #LEADERSHIP_REQUEST} on standard input with one line telling its leadership, so that the benchmark's engine can
 * open the log for the leader's term as a server's coordinator does. It stops the peer and ends when standard input
 * ends (its parent closed it or died) or on SIGTERM.
 *
 * <pre>{@code
 * java -cp clearhouse-bench.jar io.clearhouse.bench.RaftPeerCommand --group-id UUID \
 *     --peers 1=127.0.0.1:19001,2=127.0.0.1:19002,3=127.0.0.1:19003 --self 1 --dir target/raft-1
 * }</pre>
 */
public final class RaftPeerCommand {
    static final String READY_PREFIX = "Raft peer ready ";
    static final String LEADERSHIP_REQUEST = "leadership";
    /** Followed by role, term, leader id ({@code -} when none is known) and whether the leader is ready. */
    static final String LEADERSHIP_PREFIX = "leadership ";

    static final Map<String, String> DEFAULTS = Arguments.defaults(
            "group-id", "",
            "peers", "",
            "self", "",
            "dir", "",
            "election-timeout-min-millis", "300",
            "election-timeout-max-millis", "600");

    private RaftPeerCommand() {}

    public static void main(String[] args) throws IOException {
        Arguments arguments = Arguments.parse(args, DEFAULTS);
        RaftPeers peers = new RaftPeers(UUID.fromString(arguments.text("group-id")), peers(arguments.text("peers")));
        RaftOptions options = RaftOptions.defaults()
                .withElectionTimeouts(
                        arguments.longInteger("election-timeout-min-millis"),
                        arguments.longInteger("election-timeout-max-millis"));
        String self = arguments.text("self");
        RaftDecisionNode node = RaftDecisionNode.start(peers, self, arguments.path("dir"), options);
        Thread stopOnSignal = new Thread(node::close, "raft-peer-stop");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println(READY_PREFIX + self);
        answerUntilInputEnds(node, out);
        Runtime.getRuntime().removeShutdownHook(stopOnSignal);
        node.close();
    }

    private static void answerUntilInputEnds(RaftDecisionNode node, PrintStream out) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.strip().equals(LEADERSHIP_REQUEST)) {
                out.println(describe(node.leadership()));
            } else {
                out.println("unknown request: " + line);
            }
        }
    }

    static String describe(RaftDecisionNode.Leadership leadership) {
        return LEADERSHIP_PREFIX + leadership.role() + " " + leadership.term() + " "
                + leadership.leaderId().orElse("-") + " " + leadership.leaderReady();
    }

    /** {@code ID=HOST:PORT,...}, as the server's {@code clearhouse.raft.peers}. */
    static List<RaftPeers.Peer> peers(String text) {
        List<RaftPeers.Peer> peers = new ArrayList<>();
        for (String item : text.split(",")) {
            String[] idAndAddress = item.strip().split("=", 2);
            int colon = idAndAddress[1].lastIndexOf(':');
            peers.add(new RaftPeers.Peer(
                    idAndAddress[0],
                    idAndAddress[1].substring(0, colon),
                    Integer.parseInt(idAndAddress[1].substring(colon + 1))));
        }
        return peers;
    }

    /** The inverse of {@link #peers(String)}. */
    static String peersText(RaftPeers peers) {
        List<String> items = new ArrayList<>();
        for (RaftPeers.Peer peer : peers.peers()) {
            items.add(peer.id() + "=" + peer.address());
        }
        return String.join(",", items);
    }
}
