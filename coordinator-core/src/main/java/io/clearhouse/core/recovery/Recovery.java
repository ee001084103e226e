package io.clearhouse.core.recovery;

import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Xid;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Resolves what a previous incarnation left behind, before the coordinator takes new work (so no branch it touches
 * belongs to a transaction in flight). Each branch a bank still holds prepared is committed when the log holds its
 * commit decision and rolled back otherwise (presumed abort); each commit decision without a completion record is
 * sent to its participants again, since a bank may have lost nothing yet still await the commit.
 */
public final class Recovery {
    private final Map<String, ? extends BankAdapter> banks;
    private final DecisionLog log;
    private final int attemptsMax;
    private final long retryDelayMillis;
    private final LongAdder messages;

    private final Map<String, DecisionRecord.CommitDecision> commits = new LinkedHashMap<>();
    private final Set<String> completed = new HashSet<>();
    private final Set<Xid> committedNow = new HashSet<>();
    private int rolledBack;
    private int committedPrepared;

    /**
     * @param attemptsMax how often a failing bank call is made before recovery gives up
     * @param retryDelayMillis the pause between attempts
     * @param messages counts every prepare, commit and rollback sent
     */
    public Recovery(
            Map<String, ? extends BankAdapter> banks,
            DecisionLog log,
            int attemptsMax,
            long retryDelayMillis,
            LongAdder messages) {
        this.banks = banks;
        this.log = log;
        this.attemptsMax = attemptsMax;
        this.retryDelayMillis = retryDelayMillis;
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
        for (BankAdapter bank : banks.values()) {
            resolvePrepared(bank);
        }
        int redriven = 0;
        for (DecisionRecord.CommitDecision commit : commits.values()) {
            if (!completed.contains(commit.globalId())) {
                redrive(commit);
                redriven++;
            }
        }
        return new RecoveryReport(committedPrepared, rolledBack, redriven);
    }

    private void read(DecisionRecord record) {
        if (record instanceof DecisionRecord.CommitDecision commit) {
            commits.put(commit.globalId(), commit);
        } else if (record instanceof DecisionRecord.Completion completion) {
            completed.add(completion.globalId());
        }
    }

    private void resolvePrepared(BankAdapter bank) {
        Set<Xid> prepared = call(bank, "recover", false, bank::recover);
        for (Xid xid : prepared) {
            requireOwnBranch(bank, xid);
            DecisionRecord.CommitDecision commit = commits.get(xid.transactionId());
            if (commit == null) {
                // A completed decision is not among the records read at open, yet its bank may not have made its
                // commit durable before the crash.
                commit = log.commitDecisionOf(xid.transactionId()).orElse(null);
            }
            if (commitsBranch(commit, xid)) {
                commit(bank, xid);
                committedPrepared++;
            } else {
                call(bank, "rollback " + xid, true, () -> {
                    bank.rollback(xid);
                    return null;
                });
                rolledBack++;
            }
        }
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

    private void redrive(DecisionRecord.CommitDecision commit) {
        for (String bankId : commit.participants()) {
            BankAdapter bank = banks.get(bankId);
            if (bank == null) {
                throw new RecoveryException(
                        "commit decision " + commit.globalId() + " names bank " + bankId + ", which is not configured",
                        null);
            }
            Xid xid = new Xid(commit.globalId(), bankId);
            if (!committedNow.contains(xid)) {
                commit(bank, xid);
            }
        }
        log.appendLazily(new DecisionRecord.Completion(commit.globalId()));
    }

    private void commit(BankAdapter bank, Xid xid) {
        call(bank, "commit " + xid, true, () -> {
            bank.commit(xid);
            return null;
        });
        committedNow.add(xid);
    }

    /** Calls {@code action} until it succeeds or the attempts run out; {@code message} says if it is counted. */
    private <T> T call(BankAdapter bank, String what, boolean message, Supplier<T> action) {
        BankException last = null;
        for (int attempt = 1; attempt <= attemptsMax; attempt++) {
            if (message) {
                messages.increment();
            }
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
