package io.clearhouse.core.recovery;

import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.log.GlobalIds;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Resolves what a previous incarnation left behind, before the coordinator takes new work (so no branch it touches
 * belongs to a transaction in flight). Each branch a bank still holds prepared is committed when the log holds its
 * commit decision and rolled back otherwise (presumed abort); each commit decision without a completion record is
 * sent to its participants again, since a bank may have lost nothing yet still await the commit. The branches of
 * one bank with the same decision go in messages ({@link BankAdapter#commitMany}, {@link BankAdapter#rollbackMany}),
 * so a bank left with many prepared branches costs few round trips; every bank is asked for its prepared branches
 * ({@link BankAdapter#recoverAsync}) before any answer is waited for, and every bank's commit and rollback messages
 * are out before any acknowledgement is waited for, so recovery over many banks costs a few round trips in all.
 *
 * <p>A branch of a later incarnation than the log's is left alone: in a cluster it belongs to a newer leader, which
 * may be preparing it while this coordinator, deposed without knowing it yet, recovers.
 */
public final class Recovery {
    private final Map<String, ? extends BankAdapter> banks;
    private final DecisionLog log;
    private final int attemptsMax;
    private final long retryDelayMillis;
    private final int messageBranchesMax;
    private final MessageCounter messages;

    private final Map<String, DecisionRecord.CommitDecision> commits = new LinkedHashMap<>();
    private final Set<String> completed = new HashSet<>();
    private final Set<Xid> committedNow = new HashSet<>();
    private final List<SentMessage> sent = new ArrayList<>();
    private int rolledBack;
    private int committedPrepared;

    /**
     * @param attemptsMax how often a failing bank call is made before recovery gives up
     * @param retryDelayMillis the pause between attempts
     * @param messageBranchesMax most branches one commit or rollback message carries
     * @param messages counts every commit and rollback message sent, and the branches it carries
     */
    public Recovery(
            Map<String, ? extends BankAdapter> banks,
            DecisionLog log,
            int attemptsMax,
            long retryDelayMillis,
            int messageBranchesMax,
            MessageCounter messages) {
        if (messageBranchesMax < 1) {
            throw new IllegalArgumentException("messageBranchesMax must be positive: " + messageBranchesMax);
        }
        this.banks = banks;
        this.log = log;
        this.attemptsMax = attemptsMax;
        this.retryDelayMillis = retryDelayMillis;
        this.messageBranchesMax = messageBranchesMax;
        this.messages = messages;
    }

    /**
     * Reads the log, resolves every prepared branch and re-drives unfinished commits.
     *
     * @throws RecoveryException if a bank keeps failing
     */
    public RecoveryReport run() {
        for (DecisionRecord record : log.recoveredRecords()) {
            read(record);
        }
        PreparedBranchQueries prepared = PreparedBranchQueries.askAll(banks);
        for (BankAdapter bank : banks.values()) {
            resolvePrepared(bank, prepared);
        }
        awaitSent();
        List<DecisionRecord.CommitDecision> unfinished = new ArrayList<>(commits.values());
        redrive(unfinished);
        return new RecoveryReport(committedPrepared, rolledBack, unfinished.size());
    }

    /**
     * Keeps the commit decisions not completed so far. A completed one is left to the log's own lookup, so that a
     * large log does not make recovery hold a second map of every decision it ever made (issue 17).
     */
    private void read(DecisionRecord record) {
        if (record instanceof DecisionRecord.CommitDecision commit) {
            if (!completed.contains(commit.globalId())) {
                commits.put(commit.globalId(), commit);
            }
        } else if (record instanceof DecisionRecord.Completion completion) {
            completed.add(completion.globalId());
            commits.remove(completion.globalId());
        }
    }

    /** Sorts the bank's prepared branches by their decision, and sends each decision in as few messages as it may. */
    private void resolvePrepared(BankAdapter bank, PreparedBranchQueries queries) {
        Set<Xid> prepared = retrying(bank, "recover", () -> {}, answerThenAgain(bank, queries));
        List<Xid> toCommit = new ArrayList<>();
        List<Xid> toRollBack = new ArrayList<>();
        for (Xid xid : prepared) {
            requireOwnBranch(bank, xid);
            if (GlobalIds.isOfLaterIncarnation(xid.transactionId(), log.incarnation())) {
                continue;
            }
            DecisionRecord.CommitDecision commit = commits.get(xid.transactionId());
            if (commit == null) {
                // A completed decision is not kept from the records read at open (a database log does not even read
                // it then), yet its bank may not have made its commit durable before the crash.
                commit = log.commitDecisionOf(xid.transactionId()).orElse(null);
            }
            (commitsBranch(commit, xid) ? toCommit : toRollBack).add(xid);
        }
        commit(bank, toCommit);
        committedPrepared += toCommit.size();
        send(bank, "rollback", toRollBack, bank::rollbackMany);
        rolledBack += toRollBack.size();
    }

    /** The first attempt takes the answer asked for with every bank's; an attempt after a failure asks again. */
    private static Supplier<Set<Xid>> answerThenAgain(BankAdapter bank, PreparedBranchQueries queries) {
        boolean[] asked = {false};
        return () -> {
            if (asked[0]) {
                return bank.recover();
            }
            asked[0] = true;
            return queries.answerOf(bank);
        };
    }

    /** @throws IllegalStateException if {@code bank} reports {@code xid}, a branch of another bank, as its own */
    static void requireOwnBranch(BankAdapter bank, Xid xid) {
        if (!xid.bankId().equals(bank.bankId())) {
            throw new IllegalStateException("bank " + bank.bankId() + " reports a branch of another bank: " + xid);
        }
    }

    /**
     * Whether the prepared branch {@code xid} is committed under {@code commit}, its transaction's commit decision,
     * or, when that is null, rolled back (presumed abort).
     *
     * @throws IllegalStateException if the decision does not name the branch's bank: the log and the bank disagree,
     *     which no retry mends
     */
    static boolean commitsBranch(DecisionRecord.CommitDecision commit, Xid xid) {
        if (commit == null) {
            return false;
        }
        if (!commit.participants().contains(xid.bankId())) {
            throw new IllegalStateException(
                    "bank " + xid.bankId() + " holds " + xid + " prepared, but the commit decision does not name it");
        }
        return true;
    }

    /**
     * Sends the commits of every unfinished decision again, gathered per bank into messages, and then records each
     * decision complete: every one of its participants has acknowledged by then.
     */
    private void redrive(List<DecisionRecord.CommitDecision> unfinished) {
        Map<String, List<Xid>> byBank = new LinkedHashMap<>();
        for (DecisionRecord.CommitDecision commit : unfinished) {
            for (String bankId : commit.participants()) {
                if (!banks.containsKey(bankId)) {
                    throw new RecoveryException(
                            "commit decision " + commit.globalId() + " names bank " + bankId
                                    + ", which is not configured",
                            null);
                }
                Xid xid = new Xid(commit.globalId(), bankId);
                if (!committedNow.contains(xid)) {
                    byBank.computeIfAbsent(bankId, id -> new ArrayList<>()).add(xid);
                }
            }
        }
        byBank.forEach((bankId, xids) -> commit(banks.get(bankId), xids));
        awaitSent();
        for (DecisionRecord.CommitDecision commit : unfinished) {
            log.appendLazily(new DecisionRecord.Completion(commit.globalId()));
        }
    }

    private void commit(BankAdapter bank, List<Xid> xids) {
        send(bank, "commit", xids, bank::commitMany);
        committedNow.addAll(xids);
    }

    /**
     * Sends {@code xids} in messages of at most {@code messageBranchesMax} without waiting for the answers: every
     * bank's messages are out before the first answer is awaited ({@link #awaitSent}), so a new leader's recovery
     * over many banks costs about one round trip, not one per bank.
     */
    private void send(BankAdapter bank, String kind, List<Xid> xids, Function<List<Xid>, CompletionStage<Void>> call) {
        for (int from = 0; from < xids.size(); from += messageBranchesMax) {
            List<Xid> message = List.copyOf(xids.subList(from, Math.min(xids.size(), from + messageBranchesMax)));
            messages.messageSent(message.size());
            sent.add(new SentMessage(bank, kind, message, call, start(call, message)));
        }
    }

    private static CompletionStage<Void> start(Function<List<Xid>, CompletionStage<Void>> call, List<Xid> message) {
        try {
            return call.apply(message);
        } catch (BankException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Waits for every message sent since the last wait, sending each that failed again until it is acknowledged. */
    private void awaitSent() {
        for (SentMessage message : sent) {
            try {
                // A failure of the message is the bank's failure, as a single call's would be.
                BankException.await(message.reply());
            } catch (BankException firstFailure) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(retryDelayMillis));
                retrying(
                        message.bank(),
                        message.describe(),
                        2,
                        firstFailure,
                        () -> messages.messageSent(message.size()),
                        () -> {
                            BankException.await(message.call().apply(message.xids()));
                            return null;
                        });
            }
        }
        sent.clear();
    }

    /** A commit or rollback message sent to a bank, and its answer to come. */
    private record SentMessage(
            BankAdapter bank,
            String kind,
            List<Xid> xids,
            Function<List<Xid>, CompletionStage<Void>> call,
            CompletionStage<Void> reply) {
        int size() {
            return xids.size();
        }

        String describe() {
            return kind + " of " + xids.size() + " branches from " + xids.get(0);
        }
    }

    private <T> T retrying(BankAdapter bank, String what, Runnable beforeEachAttempt, Supplier<T> action) {
        return retrying(bank, what, 1, null, beforeEachAttempt, action);
    }

    /**
     * Calls {@code action} until it succeeds or the attempts run out, running {@code beforeEachAttempt} first.
     *
     * @param firstAttempt the number of this first call: attempts made already, failing with {@code failure}, count
     */
    private <T> T retrying(
            BankAdapter bank,
            String what,
            int firstAttempt,
            BankException failure,
            Runnable beforeEachAttempt,
            Supplier<T> action) {
        BankException last = failure;
        for (int attempt = firstAttempt; attempt <= attemptsMax; attempt++) {
            beforeEachAttempt.run();
            try {
                return action.get();
            } catch (BankException e) {
                last = e;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(retryDelayMillis));
            }
        }
        throw new RecoveryException(
                "recovery gave up on " + what + " at bank " + bank.bankId() + " after " + attemptsMax + " attempts",
                last);
    }
}
