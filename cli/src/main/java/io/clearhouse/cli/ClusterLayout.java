package io.clearhouse.cli;

import io.clearhouse.auth.SigningKeys;
import java.nio.file.Path;

/**
 * Where {@code cluster} keeps everything under its data directory: per node its Raft storage, Payara's scratch
 * directory, its log and the system properties it starts from; the bank server's data and the state it starts from;
 * the banks file every node reads; and the settings that must stay the same across starts (the Raft group's id, the
 * bank server's port).
 */
record ClusterLayout(Path root) {
    /** The most nodes a cluster may have; also how far {@code cluster} looks for nodes an earlier run left. */
    static final int NODES_MAX = 9;

    ClusterLayout {
        root = root.toAbsolutePath().normalize();
    }

    /** The files of node {@code id} (1-based). */
    Node node(int id) {
        if (id < 1 || id > NODES_MAX) {
            throw new IllegalArgumentException("node ids are 1.." + NODES_MAX + ", not " + id);
        }
        return new Node(root.resolve("node-" + id), signingKeys());
    }

    /** The key pair every node trusts and {@code clearhouse token --data-dir} signs with, as serve's. */
    SigningKeys signingKeys() {
        return ServerAuth.signingKeys(root);
    }

    /** The bank server's data directory. */
    Path bankServer() {
        return root.resolve("bank-server");
    }

    /** The banks and opening balances the bank server starts from (a copy of STATE.json). */
    Path bankServerState() {
        return root.resolve("state.json");
    }

    /** The banks file every node reads. */
    Path banksFile() {
        return root.resolve("banks.json");
    }

    /** The settings kept across starts: the Raft group id, the bank server's port, where the banks come from. */
    Path settings() {
        return root.resolve("cluster.properties");
    }

    Path lock() {
        return root.resolve("cluster.lock");
    }

    /**
     * The files of one node.
     *
     * @param root the node's directory, {@code node-N}
     * @param signingKeys the cluster's key pair, which all nodes share
     */
    record Node(Path root, SigningKeys signingKeys) {
        /** The node's Raft storage: its copy of the decision log. */
        Path raft() {
            return root.resolve("raft");
        }

        Path payara() {
            return root.resolve("payara");
        }

        Path serverLog() {
            return root.resolve("server.log");
        }

        Path systemProperties() {
            return root.resolve("system.properties");
        }

        PayaraMicroFiles payaraMicro() {
            return new PayaraMicroFiles(payara(), systemProperties(), serverLog());
        }
    }
}
