package io.clearhouse.cli;

import io.clearhouse.auth.Role;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * How to start one node: the WAR on Payara Micro with the Raft decision log, configured through the system properties
 * file that {@link #systemProperties()} gives. Each node may have its own view of its peers' Raft addresses and its
 * own JVM options: a fault test gives every node JVM a hosts file of its own ({@code -Djdk.net.hosts.file=...}) so
 * that the same peer names lead each node to a proxy in front of the others.
 *
 * @param id the node's Raft id, 1-based
 * @param files where the node's files live
 * @param apiUrl the node's API URL, {@code http://HOST:PORT/api}; Payara listens on its port
 * @param raftPeers every node's Raft address ({@code host:port}) by id, this node's own included
 * @param apiUrls every node's API URL by id
 * @param raftBindHost the address this node's Raft server binds; empty for every interface
 * @param groupId the Raft group's id
 * @param banksFile the banks file the node reads
 * @param jvmOptions the node JVM's options
 * @param metricsOpenApiRole the role the node's {@code /metrics} and {@code /openapi} need, empty for none
 */
record ClusterNodeSpec(
        int id,
        ClusterLayout.Node files,
        URI apiUrl,
        Map<Integer, String> raftPeers,
        Map<Integer, URI> apiUrls,
        Optional<String> raftBindHost,
        UUID groupId,
        Path banksFile,
        List<String> jvmOptions,
        Optional<Role> metricsOpenApiRole) {
    /**
     * The decision log is the Raft group's, so the data source is never used; the keys must still name one for the
     * application's data source definition.
     */
    static final String UNUSED_JDBC_URL = "jdbc:postgresql://127.0.0.1:1/unused";

    static final String UNUSED_JDBC_CREDENTIAL = "unused";

    ClusterNodeSpec {
        if (!raftPeers.containsKey(id) || !apiUrls.containsKey(id)) {
            throw new IllegalArgumentException("node " + id + " must be among its own Raft peers and API URLs");
        }
        raftPeers = Map.copyOf(raftPeers);
        apiUrls = Map.copyOf(apiUrls);
        jvmOptions = List.copyOf(jvmOptions);
    }

    int apiPort() {
        return apiUrl.getPort();
    }

    ClusterNodeSpec withJvmOptions(List<String> options) {
        return new ClusterNodeSpec(
                id, files, apiUrl, raftPeers, apiUrls, raftBindHost, groupId, banksFile, options, metricsOpenApiRole);
    }

    /** This node with other Raft addresses of its peers (its own entry included). */
    ClusterNodeSpec withRaftPeers(Map<Integer, String> peers) {
        return new ClusterNodeSpec(
                id, files, apiUrl, peers, apiUrls, raftBindHost, groupId, banksFile, jvmOptions, metricsOpenApiRole);
    }

    /** This node with its Raft server bound to {@code host} alone. */
    ClusterNodeSpec withRaftBindHost(String host) {
        return new ClusterNodeSpec(
                id,
                files,
                apiUrl,
                raftPeers,
                apiUrls,
                Optional.of(host),
                groupId,
                banksFile,
                jvmOptions,
                metricsOpenApiRole);
    }

    /** The settings the node starts from, as MicroProfile Config keys. */
    Properties systemProperties() {
        Properties properties = new Properties();
        properties.setProperty("clearhouse.decision-log", "raft");
        properties.setProperty("clearhouse.raft.node-id", Integer.toString(id));
        properties.setProperty("clearhouse.raft.peers", byId(raftPeers));
        properties.setProperty("clearhouse.raft.api-urls", byId(apiUrls));
        properties.setProperty("clearhouse.raft.data-dir", files.raft().toString());
        properties.setProperty("clearhouse.raft.group-id", groupId.toString());
        raftBindHost.ifPresent(host -> properties.setProperty("clearhouse.raft.bind-host", host));
        properties.setProperty("clearhouse.banks.file", banksFile.toString());
        properties.setProperty("clearhouse.jdbc.url", UNUSED_JDBC_URL);
        properties.setProperty("clearhouse.jdbc.user", UNUSED_JDBC_CREDENTIAL);
        properties.setProperty("clearhouse.jdbc.password", UNUSED_JDBC_CREDENTIAL);
        ServerAuth.configure(properties, files.signingKeys(), metricsOpenApiRole);
        return properties;
    }

    /** {@code 1=value,2=value,...} in id order. */
    private static String byId(Map<Integer, ?> values) {
        return values.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(","));
    }
}
