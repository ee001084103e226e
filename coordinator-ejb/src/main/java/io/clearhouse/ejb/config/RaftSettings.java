package io.clearhouse.ejb.config;

import io.clearhouse.log.raft.RaftDecisionNode;
import io.clearhouse.log.raft.RaftOptions;
import io.clearhouse.log.raft.RaftPeers;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * The settings of a node of a cluster, read when {@code clearhouse.decision-log} is {@code raft}: which peer this
 * node is, every peer's Raft address and API URL, where this node keeps its share of the log, and the timeouts of
 * elections and writes.
 *
 * @param placement this node's Raft peer: the group, its id, its storage and the host it binds
 * @param apiUrls every node's API URL ({@code http://HOST:PORT/api}) by node id, in the order of the peers
 * @param options the peers' and the log's limits
 * @param ratisLogLevel the level of Apache Ratis' logger, if the operator chose one
 */
public record RaftSettings(
        RaftDecisionNode.Placement placement,
        Map<String, URI> apiUrls,
        RaftOptions options,
        Optional<Level> ratisLogLevel) {
    public static final String NODE_ID = "clearhouse.raft.node-id";
    public static final String PEERS = "clearhouse.raft.peers";
    public static final String API_URLS = "clearhouse.raft.api-urls";
    public static final String DATA_DIR = "clearhouse.raft.data-dir";
    public static final String BIND_HOST = "clearhouse.raft.bind-host";
    public static final String GROUP_ID = "clearhouse.raft.group-id";
    public static final String ELECTION_TIMEOUT_MIN_MILLIS = "clearhouse.raft.election-timeout-min-millis";
    public static final String ELECTION_TIMEOUT_MAX_MILLIS = "clearhouse.raft.election-timeout-max-millis";
    public static final String WRITE_TIMEOUT_MILLIS = "clearhouse.raft.write-timeout-millis";
    public static final String SNAPSHOT_THRESHOLD_ENTRIES = "clearhouse.raft.snapshot-threshold-entries";
    public static final String RATIS_LOG_LEVEL = "clearhouse.raft.ratis-log-level";

    /** Every node of every cluster that names no group of its own shares this one; one cluster per data dir. */
    static final UUID GROUP_ID_DEFAULT = UUID.fromString("c1ea7405-0000-4000-8000-000000000001");
    /**
     * A third above Ratis' own 150-300 ms: three nodes on two cores pause each other long enough under load that Ratis'
     * own starts elections nobody needs, while 300-600 ms made a fail-over take over a second, most of it noticing
     * the leader's death (docs/benchmarks.md, section 15).
     */
    static final long ELECTION_TIMEOUT_MIN_MILLIS_DEFAULT = 200;

    static final long ELECTION_TIMEOUT_MAX_MILLIS_DEFAULT = 400;
    /** A node cut off from the majority gives up a write within this, so its client hears 503, not silence. */
    static final long WRITE_TIMEOUT_MILLIS_DEFAULT = 10_000;

    /**
     * Reads the settings through {@code lookup}.
     *
     * @throws IllegalArgumentException naming the key of a value that is missing or malformed
     */
    static RaftSettings read(Function<String, Optional<String>> lookup) {
        String nodeId = required(lookup, NODE_ID);
        RaftPeers peers = new RaftPeers(groupId(lookup), peers(required(lookup, PEERS)));
        if (peers.peer(nodeId).isEmpty()) {
            throw new IllegalArgumentException(
                    "the setting " + NODE_ID + " names node " + nodeId + ", which " + PEERS + " does not list");
        }
        Map<String, URI> apiUrls = apiUrls(required(lookup, API_URLS), peers);
        Path dataDir = Path.of(required(lookup, DATA_DIR));
        Optional<String> bindHost = lookup.apply(BIND_HOST).map(String::trim).filter(host -> !host.isEmpty());
        long electionMin =
                ServerSettings.positive(lookup, ELECTION_TIMEOUT_MIN_MILLIS, ELECTION_TIMEOUT_MIN_MILLIS_DEFAULT);
        long electionMax =
                ServerSettings.positive(lookup, ELECTION_TIMEOUT_MAX_MILLIS, ELECTION_TIMEOUT_MAX_MILLIS_DEFAULT);
        if (electionMax <= electionMin) {
            throw new IllegalArgumentException("the setting " + ELECTION_TIMEOUT_MAX_MILLIS + " (" + electionMax
                    + ") must exceed " + ELECTION_TIMEOUT_MIN_MILLIS + " (" + electionMin + ")");
        }
        RaftOptions defaults = RaftOptions.defaults();
        RaftOptions options = defaults.withElectionTimeouts(electionMin, electionMax)
                .withWriteTimeoutMillis(
                        ServerSettings.positive(lookup, WRITE_TIMEOUT_MILLIS, WRITE_TIMEOUT_MILLIS_DEFAULT))
                .withSnapshotThresholdEntries(ServerSettings.positive(
                        lookup, SNAPSHOT_THRESHOLD_ENTRIES, defaults.snapshotThresholdEntries(), Integer.MAX_VALUE));
        return new RaftSettings(
                new RaftDecisionNode.Placement(peers, nodeId, dataDir, bindHost),
                apiUrls,
                options,
                ratisLogLevel(lookup));
    }

    /** This node's id. */
    public String nodeId() {
        return placement.selfId();
    }

    /** The API URL of node {@code id}, if it is a node of the cluster. */
    public Optional<URI> apiUrlOf(String id) {
        return Optional.ofNullable(apiUrls.get(id));
    }

    /** The values in effect, by key, for the server's log. */
    Map<String, Object> effective() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(NODE_ID, nodeId());
        values.put(GROUP_ID, placement.peers().groupId());
        values.put(PEERS, placement.peers().peers());
        values.put(API_URLS, apiUrls);
        values.put(DATA_DIR, placement.storageDirectory());
        values.put(BIND_HOST, placement.bindHost().orElse("(every interface)"));
        values.put(ELECTION_TIMEOUT_MIN_MILLIS, options.electionTimeoutMinMillis());
        values.put(ELECTION_TIMEOUT_MAX_MILLIS, options.electionTimeoutMaxMillis());
        values.put(WRITE_TIMEOUT_MILLIS, options.writeTimeoutMillis());
        values.put(SNAPSHOT_THRESHOLD_ENTRIES, options.snapshotThresholdEntries());
        values.put(RATIS_LOG_LEVEL, ratisLogLevel.map(Level::getName).orElse("WARNING (default)"));
        return values;
    }

    private static String required(Function<String, Optional<String>> lookup, String key) {
        return lookup.apply(key)
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException(
                        "the setting " + key + " is required when clearhouse.decision-log is raft"));
    }

    private static Optional<Level> ratisLogLevel(Function<String, Optional<String>> lookup) {
        Optional<String> text = lookup.apply(RATIS_LOG_LEVEL).map(String::trim).filter(value -> !value.isEmpty());
        try {
            return text.map(name -> Level.parse(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the setting " + RATIS_LOG_LEVEL + " must be a java.util.logging level (SEVERE, WARNING, INFO, "
                            + "FINE, ...), not \"" + text.orElseThrow() + "\"",
                    e);
        }
    }

    private static UUID groupId(Function<String, Optional<String>> lookup) {
        Optional<String> text = lookup.apply(GROUP_ID).map(String::trim).filter(value -> !value.isEmpty());
        try {
            return text.map(UUID::fromString).orElse(GROUP_ID_DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the setting " + GROUP_ID + " must be a UUID, not \"" + text.orElseThrow() + "\"", e);
        }
    }

    /** {@code ID=HOST:PORT,...}. */
    private static List<RaftPeers.Peer> peers(String text) {
        List<RaftPeers.Peer> peers = new ArrayList<>();
        for (Map.Entry<String, String> entry : entries(PEERS, text).entrySet()) {
            String address = entry.getValue();
            int colon = address.lastIndexOf(':');
            try {
                peers.add(new RaftPeers.Peer(
                        entry.getKey(),
                        address.substring(0, Math.max(colon, 0)),
                        Integer.parseInt(address.substring(colon + 1))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "the setting " + PEERS + " gives node " + entry.getKey() + " the address \"" + address
                                + "\"; expected HOST:PORT",
                        e);
            }
        }
        return peers;
    }

    /** {@code ID=URL,...}, one for each peer and none other. */
    private static Map<String, URI> apiUrls(String text, RaftPeers peers) {
        Map<String, String> entries = entries(API_URLS, text);
        Map<String, URI> urls = new LinkedHashMap<>();
        for (RaftPeers.Peer peer : peers.peers()) {
            String url = entries.remove(peer.id());
            if (url == null) {
                throw new IllegalArgumentException("the setting " + API_URLS + " gives no URL for node " + peer.id());
            }
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("the setting " + API_URLS + " gives node " + peer.id()
                        + " the URL \"" + url + "\"; expected" + " http://HOST:PORT/api");
            }
            urls.put(peer.id(), uri);
        }
        if (!entries.isEmpty()) {
            throw new IllegalArgumentException(
                    "the setting " + API_URLS + " names nodes that " + PEERS + " does not list: " + entries.keySet());
        }
        return urls;
    }

    private static Map<String, String> entries(String key, String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String item : text.split(",")) {
            int equals = item.indexOf('=');
            if (equals <= 0 || equals == item.length() - 1) {
                throw new IllegalArgumentException(
                        "the setting " + key + " has the item \"" + item.trim() + "\"; expected ID=VALUE");
            }
            String id = item.substring(0, equals).trim();
            if (entries.put(id, item.substring(equals + 1).trim()) != null) {
                throw new IllegalArgumentException("the setting " + key + " names node " + id + " twice");
            }
        }
        return entries;
    }
}
