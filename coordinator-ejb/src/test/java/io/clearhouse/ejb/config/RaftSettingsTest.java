package io.clearhouse.ejb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a node of a cluster reads its settings, and how it refuses broken ones. */
class RaftSettingsTest {
    private final Map<String, String> values = new HashMap<>(Map.of(
            ServerSettings.BANKS_FILE, "/etc/clearhouse/banks.json",
            ServerSettings.DECISION_LOG, "raft",
            RaftSettings.NODE_ID, "2",
            RaftSettings.PEERS, "1=10.0.0.1:9080, 2=10.0.0.2:9080,3=node-3:9081",
            RaftSettings.API_URLS, "1=http://10.0.0.1:8080/api,2=http://10.0.0.2:8080/api,3=http://node-3:8081/api",
            RaftSettings.DATA_DIR, "/var/lib/clearhouse/raft"));

    private ServerSettings read() {
        return ServerSettings.read(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void readsTheNodeAndItsPeers() {
        RaftSettings raft = read().raft().orElseThrow();

        assertThat(raft.nodeId()).isEqualTo("2");
        assertThat(raft.placement().peers().peers())
                .extracting(peer -> peer.id() + "@" + peer.address())
                .containsExactly("1@10.0.0.1:9080", "2@10.0.0.2:9080", "3@node-3:9081");
        assertThat(raft.placement().peers().groupId()).isEqualTo(RaftSettings.GROUP_ID_DEFAULT);
        assertThat(raft.placement().storageDirectory()).isEqualTo(Path.of("/var/lib/clearhouse/raft"));
        assertThat(raft.placement().bindHost()).isEmpty();
        assertThat(raft.apiUrlOf("3")).contains(URI.create("http://node-3:8081/api"));
        assertThat(raft.options().electionTimeoutMinMillis()).isEqualTo(200);
        assertThat(raft.options().electionTimeoutMaxMillis()).isEqualTo(400);
        assertThat(raft.ratisLogLevel()).isEmpty();
        assertThat(read().effective()).containsEntry(ServerSettings.DECISION_LOG, "raft");
    }

    @Test
    void takesTheOptionalOnes() {
        UUID group = UUID.randomUUID();
        values.put(RaftSettings.GROUP_ID, group.toString());
        values.put(RaftSettings.BIND_HOST, "127.0.0.1");
        values.put(RaftSettings.ELECTION_TIMEOUT_MIN_MILLIS, "500");
        values.put(RaftSettings.ELECTION_TIMEOUT_MAX_MILLIS, "900");
        values.put(RaftSettings.WRITE_TIMEOUT_MILLIS, "2000");
        values.put(RaftSettings.RATIS_LOG_LEVEL, "info");

        RaftSettings raft = read().raft().orElseThrow();

        assertThat(raft.placement().peers().groupId()).isEqualTo(group);
        assertThat(raft.placement().bindHost()).contains("127.0.0.1");
        assertThat(raft.options().electionTimeoutMinMillis()).isEqualTo(500);
        assertThat(raft.options().electionTimeoutMaxMillis()).isEqualTo(900);
        assertThat(raft.options().writeTimeoutMillis()).isEqualTo(2000);
        assertThat(raft.ratisLogLevel()).contains(java.util.logging.Level.INFO);
    }

    @Test
    void isAbsentForThePostgresqlLog() {
        values.remove(ServerSettings.DECISION_LOG);
        assertThat(read().raft()).isEmpty();
        values.put(ServerSettings.DECISION_LOG, "postgresql");
        assertThat(read().raft()).isEmpty();
    }

    @Test
    void refusesBrokenSettingsNamingTheKey() {
        assertRefused(ServerSettings.DECISION_LOG, "etcd", "clearhouse.decision-log must be postgresql or raft");
        assertRefused(RaftSettings.NODE_ID, "4", "names node 4, which clearhouse.raft.peers does not list");
        assertRefused(RaftSettings.PEERS, "1=10.0.0.1:9080,2", "the item \"2\"; expected ID=VALUE");
        assertRefused(RaftSettings.PEERS, "1=10.0.0.1,2=10.0.0.2:9080", "node 1 the address \"10.0.0.1\"");
        assertRefused(RaftSettings.PEERS, "1=a:1,1=b:2", "names node 1 twice");
        assertRefused(RaftSettings.API_URLS, "1=http://a/api,2=http://b/api", "gives no URL for node 3");
        assertRefused(
                RaftSettings.API_URLS,
                "1=http://a/api,2=http://b/api,3=http://c/api,4=http://d/api",
                "names nodes that clearhouse.raft.peers does not list: [4]");
        assertRefused(RaftSettings.API_URLS, "1=a:8080,2=http://b/api,3=http://c/api", "expected http://HOST:PORT/api");
        assertRefused(RaftSettings.GROUP_ID, "cluster-one", "clearhouse.raft.group-id must be a UUID");
        assertRefused(RaftSettings.ELECTION_TIMEOUT_MAX_MILLIS, "200", "must exceed");
        assertRefused(RaftSettings.WRITE_TIMEOUT_MILLIS, "0", "clearhouse.raft.write-timeout-millis must be");
        assertRefused(RaftSettings.DATA_DIR, " ", "clearhouse.raft.data-dir is required");
        assertRefused(RaftSettings.RATIS_LOG_LEVEL, "chatty", "clearhouse.raft.ratis-log-level must be");
    }

    private void assertRefused(String key, String value, String message) {
        String before = values.put(key, value);
        try {
            assertThatThrownBy(this::read)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(message);
        } finally {
            if (before == null) {
                values.remove(key);
            } else {
                values.put(key, before);
            }
        }
    }
}
