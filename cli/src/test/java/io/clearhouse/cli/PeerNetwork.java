package io.clearhouse.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Raft links between the nodes of a cluster on this machine, each through a {@link TcpProxy} a test can cut, so
 * that the nodes are partitioned for real while every node's HTTP API stays reachable.
 *
 * <p>Every node knows its peers by the same names, {@code raft-peer-N}, but each node JVM resolves them from a hosts
 * file of its own ({@code -Djdk.net.hosts.file}, which replaces the system resolver of that JVM, and through which
 * the gRPC inside Ratis resolves too). In node i's file its own name is 127.0.0.1, where its Raft server listens
 * alone ({@code clearhouse.raft.bind-host}), and peer j's name is 127.0.i.j, where the proxy for the direction i to j
 * listens on peer j's port and forwards to 127.0.0.1 (Linux routes all of 127.0.0.0/8 to the loopback interface).
 * The names are the same on every node, so the group's configuration that Raft replicates in its log is too; only
 * where a name leads differs. Cutting the proxies i to j and j to i partitions the two nodes in both directions and
 * leaves every other pair alone.
 */
final class PeerNetwork implements AutoCloseable {
    static final String LOOPBACK = "127.0.0.1";
    private static final String PEER_NAME = "raft-peer-";

    private final ClusterPlan plan;
    private final Map<Integer, Path> hostsFiles = new LinkedHashMap<>();
    private final Map<List<Integer>, TcpProxy> proxies = new LinkedHashMap<>();

    private PeerNetwork(ClusterPlan plan) {
        this.plan = plan;
    }

    /** Writes every node's hosts file into {@code directory} and starts every proxy, none cut. */
    static PeerNetwork start(ClusterPlan plan, Path directory) throws IOException {
        if (plan.nodes() > 254) {
            throw new IllegalArgumentException("a node's number must fit in one byte of a loopback address");
        }
        PeerNetwork network = new PeerNetwork(plan);
        try {
            for (int node = 1; node <= plan.nodes(); node++) {
                network.hostsFiles.put(node, network.writeHostsFile(node, directory));
                for (int peer = 1; peer <= plan.nodes(); peer++) {
                    if (peer != node) {
                        network.proxies.put(List.of(node, peer), network.startProxy(node, peer));
                    }
                }
            }
        } catch (RuntimeException | IOException e) {
            network.close();
            throw e;
        }
        return network;
    }

    private Path writeHostsFile(int node, Path directory) throws IOException {
        List<String> lines = new ArrayList<>();
        // The JVM resolves every name from this file alone: Payara looks up this machine's own name too.
        lines.add(LOOPBACK + " localhost " + InetAddress.getLocalHost().getHostName() + " " + name(node));
        for (int peer = 1; peer <= plan.nodes(); peer++) {
            if (peer != node) {
                lines.add(proxyAddress(node, peer) + " " + name(peer));
            }
        }
        return Files.write(directory.resolve("hosts-node-" + node), lines);
    }

    private TcpProxy startProxy(int from, int to) {
        return TcpProxy.start(
                new InetSocketAddress(proxyAddress(from, to), plan.raftPort(to)),
                new InetSocketAddress(LOOPBACK, plan.raftPort(to)),
                from + "-to-" + to);
    }

    /** Where node {@code from} reaches node {@code to}: the proxy of that direction. */
    private static String proxyAddress(int from, int to) {
        return "127.0." + from + "." + to;
    }

    private static String name(int node) {
        return PEER_NAME + node;
    }

    /**
     * Node {@code id} of the plan as it must start to be on this network: its peers by name, its Raft server on the
     * loopback address alone, and its own hosts file in {@code jvmOptions}.
     */
    ClusterNodeSpec spec(int id, List<String> jvmOptions) {
        Map<Integer, String> peers = new LinkedHashMap<>();
        for (int node = 1; node <= plan.nodes(); node++) {
            peers.put(node, name(node) + ":" + plan.raftPort(node));
        }
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Djdk.net.hosts.file=" + hostsFiles.get(id));
        return plan.node(id).withRaftPeers(peers).withRaftBindHost(LOOPBACK).withJvmOptions(options);
    }

    /** Cuts the links between {@code first} and {@code second}, both directions. */
    void cut(int first, int second) {
        proxies.get(List.of(first, second)).cut();
        proxies.get(List.of(second, first)).cut();
    }

    /** Cuts every link of {@code node}: it reaches no peer and no peer reaches it. */
    void isolate(int node) {
        for (int peer = 1; peer <= plan.nodes(); peer++) {
            if (peer != node) {
                cut(node, peer);
            }
        }
    }

    /** Every link carries again. */
    void heal() {
        proxies.values().forEach(TcpProxy::heal);
    }

    /** The links cut now, for messages. */
    List<String> cutLinks() {
        return proxies.values().stream()
                .filter(TcpProxy::isCut)
                .map(TcpProxy::toString)
                .toList();
    }

    @Override
    public void close() {
        proxies.values().forEach(TcpProxy::close);
    }
}
