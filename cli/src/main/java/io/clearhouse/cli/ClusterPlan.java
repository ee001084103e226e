package io.clearhouse.cli;

import io.clearhouse.auth.Role;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The nodes of a cluster on this machine and their addresses: node N (1-based) serves the API on {@code
 * firstApiPort + N - 1} and Raft on {@code firstRaftPort + N - 1}, both on {@code host}. {@link #node} gives the
 * launch specification of one node, which a test may change before starting it (its JVM options, the names its Raft
 * peers go by, the address its Raft server binds).
 *
 * @param layout where the nodes' files live
 * @param nodes how many nodes, 1..{@value ClusterLayout#NODES_MAX}
 * @param host the host name in every node's API URL and Raft address
 * @param firstApiPort node 1's HTTP port
 * @param firstRaftPort node 1's Raft (gRPC) port
 * @param groupId the Raft group's id, the same on every node and across starts
 * @param banksFile the banks file every node reads
 * @param jvmOptions every node JVM's options
 * @param metricsOpenApiRole the role every node's {@code /metrics} and {@code /openapi} need, empty for none
 */
record ClusterPlan(
        ClusterLayout layout,
        int nodes,
        String host,
        int firstApiPort,
        int firstRaftPort,
        UUID groupId,
        Path banksFile,
        List<String> jvmOptions,
        Optional<Role> metricsOpenApiRole) {
    ClusterPlan {
        if (nodes < 1 || nodes > ClusterLayout.NODES_MAX) {
            throw new IllegalArgumentException("a cluster has 1.." + ClusterLayout.NODES_MAX + " nodes, not " + nodes);
        }
        requirePorts(firstApiPort, nodes);
        requirePorts(firstRaftPort, nodes);
        if (firstApiPort < firstRaftPort + nodes && firstRaftPort < firstApiPort + nodes) {
            throw new IllegalArgumentException("the API ports and the Raft ports overlap");
        }
        jvmOptions = List.copyOf(jvmOptions);
    }

    private static void requirePorts(int first, int nodes) {
        if (first < 1 || first + nodes - 1 > 65_535) {
            throw new IllegalArgumentException(
                    "ports " + first + ".." + (first + nodes - 1) + " are not all in 1..65535");
        }
    }

    int apiPort(int node) {
        return firstApiPort + index(node);
    }

    int raftPort(int node) {
        return firstRaftPort + index(node);
    }

    URI apiUrl(int node) {
        return URI.create("http://" + host + ":" + apiPort(node) + "/api");
    }

    /** Every port the cluster listens on: the API ports, then the Raft ports. */
    List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        for (int node = 1; node <= nodes; node++) {
            ports.add(apiPort(node));
        }
        for (int node = 1; node <= nodes; node++) {
            ports.add(raftPort(node));
        }
        return ports;
    }

    /** Node {@code id}'s launch specification, with every peer under {@link #host} and Raft on all interfaces. */
    ClusterNodeSpec node(int id) {
        index(id);
        Map<Integer, String> raftPeers = new LinkedHashMap<>();
        Map<Integer, URI> apiUrls = new LinkedHashMap<>();
        for (int node = 1; node <= nodes; node++) {
            raftPeers.put(node, host + ":" + raftPort(node));
            apiUrls.put(node, apiUrl(node));
        }
        return new ClusterNodeSpec(
                id,
                layout.node(id),
                apiUrl(id),
                raftPeers,
                apiUrls,
                Optional.empty(),
                groupId,
                banksFile,
                jvmOptions,
                metricsOpenApiRole);
    }

    private int index(int node) {
        if (node < 1 || node > nodes) {
            throw new IllegalArgumentException("this cluster's nodes are 1.." + nodes + ", not " + node);
        }
        return node - 1;
    }
}
