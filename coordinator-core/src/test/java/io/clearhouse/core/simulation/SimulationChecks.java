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

/**
 * The invariants judged after every seed: money conserved and no balance negative or held, every branch resolved,
 * all branches of a transaction resolved the same way and as the log decided, each client id applied at most once,
 * and every reply a client got consistent with the final state.
 */
final class SimulationChecks {
    private final Map<String, SimulatedBank> banks;
    private final Map<String, Long> initialBalances;
    private final List<DecisionRecord> log;
    private final List<Simulation.ClientReply> replies;
    private final Map<String, List<List<Posting>>> submitted;
    private final Map<String, DecisionRecord.CommitDecision> commitsByGlobalId = new HashMap<>();
    private final Map<String, DecisionRecord> outcomeByClientId = new HashMap<>();

    SimulationChecks(
            Map<String, SimulatedBank> banks,
            Map<String, Long> initialBalances,
            List<DecisionRecord> log,
            List<Simulation.ClientReply> replies,
            Map<String, List<List<Posting>>> submitted) {
        this.banks = banks;
        this.initialBalances = initialBalances;
        this.log = log;
        this.replies = replies;
        this.submitted = submitted;
    }

    /**
     * Once faults stop, the running coordinator resolves every branch of its own incarnation without help; only
     * branches of crashed incarnations, those whose phase two gave up, those a bank's crash set back, and those a
     * duplicated prepare opened after the bank had refused them wait for recovery.
     */
    static void checkSettledWithoutRecovery(
            Map<String, SimulatedBank> banks, String currentIdPrefix, Set<Xid> abandoned) {
        for (SimulatedBank bank : banks.values()) {
            for (Xid xid : bank.recover()) {
                boolean waitsForRecovery = !xid.transactionId().startsWith(currentIdPrefix)
                        || abandoned.contains(xid)
                        || bank.forgottenInCrash().contains(xid)
                        || bank.preparedAfterRefusal().contains(xid);
                check(
                        waitsForRecovery,
                        "branch " + xid + " of the running incarnation is still prepared after the faults stopped");
            }
        }
    }

    void verify() {
        readLog();
        checkBranchesResolved();
        checkBranchesAgreeWithDecisions();
        checkBalances();
        checkReplies();
    }

    private void readLog() {
        for (DecisionRecord record : log) {
            String clientId = null;
            if (record instanceof DecisionRecord.CommitDecision commit) {
                commitsByGlobalId.put(commit.globalId(), commit);
                clientId = commit.clientId();
            } else if (record instanceof DecisionRecord.AbortOutcome abort) {
                clientId = abort.clientId();
            }
            if (clientId != null) {
                DecisionRecord previous = outcomeByClientId.putIfAbsent(clientId, record);
                check(previous == null, "client id " + clientId + " has two outcomes: " + previous + " and " + record);
            }
        }
    }

    private void checkBranchesResolved() {
        for (SimulatedBank bank : banks.values()) {
            check(bank.recover().isEmpty(), "bank " + bank.bankId() + " still holds " + bank.recover() + " prepared");
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
                        "branch " + branch.getKey() + " ended " + branch.getValue() + " but the decision is " + commit);
            }
        }
        for (DecisionRecord.CommitDecision commit : commitsByGlobalId.values()) {
            for (String bankId : commit.participants()) {
                SimulatedBank.Status status = banks.get(bankId).statuses().get(new Xid(commit.globalId(), bankId));
                check(
                        status == SimulatedBank.Status.COMMITTED,
                        "participant " + bankId + " of committed " + commit.globalId() + " ended " + status);
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
                check(balance.posted() >= 0, "account " + account + " is negative: " + balance);
                check(balance.held() == 0 && bank.heldCredits(account) == 0, "account " + account + " holds money");
                check(
                        expected.get(account).equals(BigInteger.valueOf(balance.posted())),
                        "account " + account + " holds " + balance.posted() + ", the decisions say "
                                + expected.get(account));
                totalBefore = totalBefore.add(BigInteger.valueOf(initialBalances.get(account)));
                totalAfter = totalAfter.add(BigInteger.valueOf(balance.posted()));
            }
        }
        check(totalBefore.equals(totalAfter), "money not conserved: " + totalBefore + " became " + totalAfter);
    }

    private void checkReplies() {
        for (Simulation.ClientReply reply : replies) {
            Outcome outcome = reply.outcome();
            if (outcome.reason() == Reason.DUPLICATE_ID) {
                check(
                        submitted.get(reply.clientId()).size() > 1,
                        "client id " + reply.clientId() + " refused as a duplicate but was only sent one way");
                continue;
            }
            DecisionRecord recorded = outcomeByClientId.get(reply.clientId());
            check(recorded != null, "reply " + reply + " has no durable outcome");
            check(sameOutcome(recorded, reply), "reply " + reply + " differs from the log's " + recorded);
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

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
