package io.clearhouse.core.simulation;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.Xid;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The invariants judged after every seed: money conserved and no balance negative or held, every branch resolved,
 * every transaction committed at all its banks or at none, and as the log decided, each client id applied at most
 * once, every reply a client got the first outcome the log recorded for its id, and no entry counted that a deposed
 * leader wrote after its successor's OPEN.
 */
final class SimulationChecks {
    private final Map<String, SimulatedBank> banks;
    private final Map<String, Long> initialBalances;
    private final SimulatedDecisionState log;
    private final List<Simulation.ClientReply> replies;
    private final Map<String, List<List<Posting>>> submitted;
    private final Map<String, DecisionRecord.CommitDecision> commitsByGlobalId = new HashMap<>();
    private final Map<String, DecisionRecord> outcomeByClientId = new HashMap<>();

    SimulationChecks(
            Map<String, SimulatedBank> banks,
            Map<String, Long> initialBalances,
            SimulatedDecisionState log,
            List<Simulation.ClientReply> replies,
            Map<String, List<List<Posting>>> submitted) {
        this.banks = banks;
        this.initialBalances = initialBalances;
        this.log = log;
        this.replies = replies;
        this.submitted = submitted;
    }

    /**
     * A leader resolves the branches of its own incarnation without recovery once their transactions are over; only
     * those whose phase two gave up, those of a transaction released after a failed decision write, those a bank's
     * crash set back, and those a duplicated prepare opened after the bank had refused them wait for recovery.
     * Banks that are down are not asked.
     *
     * @param inFlight the global ids of the leader's transactions not yet over, which it still drives
     */
    static void checkOwnBranchesSettled(
            Map<String, SimulatedBank> banks,
            String currentIdPrefix,
            Set<String> inFlight,
            Set<Xid> abandoned,
            Set<String> released) {
        for (SimulatedBank bank : banks.values()) {
            if (!bank.isUp()) {
                continue;
            }
            for (Xid xid : bank.recover()) {
                String globalId = xid.transactionId();
                boolean waitsForRecovery = !globalId.startsWith(currentIdPrefix)
                        || inFlight.contains(globalId)
                        || abandoned.contains(xid)
                        || released.contains(globalId)
                        || bank.forgottenInCrash().contains(xid)
                        || bank.preparedAfterRefusal().contains(xid);
                check(waitsForRecovery, () -> "branch " + xid + " of the leader's incarnation is still prepared");
            }
        }
    }

    void verify() {
        checkFencing();
        readLog();
        checkBranchesResolved();
        checkAllOrNothing();
        checkBranchesAgreeWithDecisions();
        checkBalances();
        checkReplies();
    }

    /**
     * Every entry that counted was written by the leader whose OPEN is the latest before it: a deposed leader's
     * writes count only if the new leader's log held them, which puts them before its OPEN.
     */
    private void checkFencing() {
        long openTerm = 0;
        for (SimulatedDecisionState.AppliedEntry entry : log.history()) {
            if (!entry.accepted()) {
                continue;
            }
            long latestOpen = openTerm;
            if (entry.kind() == SimulatedDecisionState.Kind.OPEN) {
                check(
                        entry.tag() > latestOpen,
                        () -> "the OPEN of term " + entry.tag() + " counted after the OPEN of term " + latestOpen);
                openTerm = entry.tag();
            } else {
                check(
                        entry.tag() == latestOpen,
                        () -> "the leader of term " + entry.tag() + " wrote " + entry.records()
                                + ", which counted after the OPEN of term " + latestOpen);
            }
        }
    }

    private void readLog() {
        for (DecisionRecord record : log.records()) {
            String clientId = null;
            if (record instanceof DecisionRecord.CommitDecision commit) {
                commitsByGlobalId.put(commit.globalId(), commit);
                clientId = commit.clientId();
            } else if (record instanceof DecisionRecord.AbortOutcome abort) {
                clientId = abort.clientId();
            }
            if (clientId != null) {
                DecisionRecord previous = outcomeByClientId.putIfAbsent(clientId, record);
                check(previous == null, () -> "a client id has two outcomes: " + previous + " and " + record);
            }
        }
    }

    private void checkBranchesResolved() {
        for (SimulatedBank bank : banks.values()) {
            check(
                    bank.recover().isEmpty(),
                    () -> "bank " + bank.bankId() + " still holds " + bank.recover() + " prepared");
        }
    }

    /** Whatever the log says: no transaction committed at one bank and rolled back at another. */
    private void checkAllOrNothing() {
        Map<String, SimulatedBank.Status> firstEnd = new HashMap<>();
        for (SimulatedBank bank : banks.values()) {
            bank.statuses().forEach((xid, status) -> {
                SimulatedBank.Status other = firstEnd.putIfAbsent(xid.transactionId(), status);
                check(
                        other == null || other == status,
                        () -> "transaction " + xid.transactionId() + " ended " + other + " at one bank and " + status
                                + " at " + xid.bankId());
            });
        }
    }

    private void checkBranchesAgreeWithDecisions() {
        for (SimulatedBank bank : banks.values()) {
            for (Map.Entry<Xid, SimulatedBank.Status> branch : bank.statuses().entrySet()) {
                DecisionRecord.CommitDecision commit =
                        commitsByGlobalId.get(branch.getKey().transactionId());
                boolean committed = branch.getValue() == SimulatedBank.Status.COMMITTED;
                check(
                        committed == (commit != null && commit.participants().contains(bank.bankId())),
                        () -> "branch " + branch.getKey() + " ended " + branch.getValue() + " but the decision is "
                                + commit);
            }
        }
        for (DecisionRecord.CommitDecision commit : commitsByGlobalId.values()) {
            for (String bankId : commit.participants()) {
                SimulatedBank.Status status = banks.get(bankId).statuses().get(new Xid(commit.globalId(), bankId));
                check(
                        status == SimulatedBank.Status.COMMITTED,
                        () -> "participant " + bankId + " of committed " + commit.globalId() + " ended " + status);
            }
        }
    }

    private void checkBalances() {
        Map<String, BigInteger> expected = new LinkedHashMap<>();
        initialBalances.forEach((account, balance) -> expected.put(account, BigInteger.valueOf(balance)));
        for (DecisionRecord.CommitDecision commit : commitsByGlobalId.values()) {
            for (Posting posting : commit.postings()) {
                expected.merge(posting.account(), BigInteger.valueOf(posting.amount()), BigInteger::add);
            }
        }
        BigInteger totalBefore = BigInteger.ZERO;
        BigInteger totalAfter = BigInteger.ZERO;
        for (SimulatedBank bank : banks.values()) {
            for (String account : bank.accounts()) {
                AccountBalance balance = bank.account(account).orElseThrow();
                check(balance.posted() >= 0, () -> "account " + account + " is negative: " + balance);
                check(
                        balance.held() == 0 && bank.heldCredits(account) == 0,
                        () -> "account " + account + " holds money");
                check(
                        expected.get(account).equals(BigInteger.valueOf(balance.posted())),
                        () -> "account " + account + " holds " + balance.posted() + ", the decisions say "
                                + expected.get(account));
                totalBefore = totalBefore.add(BigInteger.valueOf(initialBalances.get(account)));
                totalAfter = totalAfter.add(BigInteger.valueOf(balance.posted()));
            }
        }
        BigInteger before = totalBefore;
        BigInteger after = totalAfter;
        check(before.equals(after), () -> "money not conserved: " + before + " became " + after);
    }

    /** Every reply, whichever leader gave it and when, is the first outcome the log recorded for its id. */
    private void checkReplies() {
        for (Simulation.ClientReply reply : replies) {
            Outcome outcome = reply.outcome();
            if (outcome.reason() == Reason.DUPLICATE_ID) {
                check(
                        submitted.get(reply.clientId()).size() > 1,
                        () -> "client id " + reply.clientId() + " refused as a duplicate but was only sent one way");
                continue;
            }
            DecisionRecord recorded = outcomeByClientId.get(reply.clientId());
            check(recorded != null, () -> "reply " + reply + " has no durable outcome");
            check(sameOutcome(recorded, reply), () -> "reply " + reply + " differs from the log's first " + recorded);
        }
    }

    private static boolean sameOutcome(DecisionRecord recorded, Simulation.ClientReply reply) {
        if (recorded instanceof DecisionRecord.CommitDecision commit) {
            return reply.outcome().isCommitted() && commit.postings().equals(reply.postings());
        }
        DecisionRecord.AbortOutcome abort = (DecisionRecord.AbortOutcome) recorded;
        return !reply.outcome().isCommitted()
                && abort.reason() == reply.outcome().reason()
                && abort.postings().equals(reply.postings());
    }

    /** Builds the message only on failure: the checks run millions of times over a normal build. */
    private static void check(boolean condition, Supplier<String> message) {
        if (!condition) {
            throw new AssertionError(message.get());
        }
    }
}
