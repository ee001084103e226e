/**
 * The decision log replicated with Raft: every decision and client outcome is an entry of an Apache Ratis group's
 * state machine, so a write counts once a majority of peers hold it and any peer can take over the log when the
 * leader's host is lost. {@link io.clearhouse.log.raft.RaftDecisionNode} is one peer (a Ratis server with the
 * {@link io.clearhouse.log.raft.DecisionStateMachine}); {@link io.clearhouse.log.raft.RaftDecisionLog} is the
 * coordinator's {@link io.clearhouse.core.log.DecisionLog} over the group, a Ratis client that batches concurrent
 * writes into one entry. The leader's coordinator prunes it with entries that make every peer forget the same
 * finished transactions, by the time the entries carry. Depends on coordinator-core's log records and codec, Ratis and
 * the JDK.
 */
package io.clearhouse.log.raft;
