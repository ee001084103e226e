package io.clearhouse.bank.memory;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Xid;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a durable memory bank from its write-ahead log. The first record holds the balances the log started
 * with; prepare records hold again without checking (they were checked when written, and the log order is a valid
 * order), commit and rollback records finish their branch. A rollback of an unknown xid is a tombstone; a commit of
 * an unknown xid, which only a compacted log holds, is the marker of a branch committed before the snapshot.
 * A record of many branches (one message) replays as its branches' own records would, in order. The escrow
 * invariants of every account are checked once the log is replayed.
 */
final class WalRestore {
    private final MemoryBankAdapter bank;
    private final WriteAheadLog log;
    /**
     * The branches prepared and not yet finished so far in the log, in a plain map: nearly every one is finished a few
     * records later, and only those left at the end go into the bank's concurrent map.
     */
    private final Map<Xid, Branch> branches = new HashMap<>();

    private WalRestore(MemoryBankAdapter bank, WriteAheadLog log) {
        this.bank = bank;
        this.log = log;
    }

    static MemoryBankAdapter restore(
            String bankId, Map<String, Long> initialBalances, WriteAheadLog log, MemoryBankOptions options) {
        MemoryBankAdapter bank = replay(bankId, initialBalances, log.recoveredRecords(), log, options);
        List<WalRecord> snapshot = WalSnapshot.of(bank);
        if (log.recoveredRecordCount() - snapshot.size() >= options.compactionRecordsMin()) {
            log.compact(snapshot);
        }
        log.releaseRecoveredRecords();
        log.compactWhileRunning(bank);
        return bank;
    }

    /**
     * Rebuilds {@code bankId} from {@code records}, its part of a log, with {@code log} for its future records; a
     * bank without records starts from {@code initialBalances}, which it logs first.
     */
    static MemoryBankAdapter replay(
            String bankId,
            Map<String, Long> initialBalances,
            List<WalRecord> records,
            WriteAheadLog log,
            MemoryBankOptions options) {
        if (records.isEmpty()) {
            MemoryBankAdapter bank = MemoryBankAdapter.withLog(bankId, initialBalances, log, options);
            log.logOpening(initialBalances);
            return bank;
        }
        WalRestore restore = start(bankId, records.get(0), log, options);
        for (WalRecord record : records.subList(1, records.size())) {
            restore.replay(record);
        }
        return restore.finish();
    }

    /**
     * Starts rebuilding {@code bankId} from {@code first}, the first record of its part of a log, which must be its
     * opening record; the caller then {@linkplain #replay replays} the rest as it reads them, in order, and {@linkplain
     * #finish finishes}, so that a shared log's records need not be gathered per bank first.
     */
    static WalRestore start(String bankId, WalRecord first, WriteAheadLog log, MemoryBankOptions options) {
        if (!(first instanceof WalRecord.Opening opening)) {
            throw new IllegalStateException(
                    "bank " + bankId + ": write-ahead log " + log.file() + " does not start with an opening record");
        }
        if (!opening.bankId().equals(bankId)) {
            throw new BankException(bankId, "write-ahead log " + log.file() + " belongs to bank " + opening.bankId());
        }
        return new WalRestore(MemoryBankAdapter.withLog(bankId, opening.postedBalances(), log, options), log);
    }

    /** The bank rebuilt, once every record is replayed; its accounts' escrow invariants are checked first. */
    MemoryBankAdapter finish() {
        checkInvariants();
        bank.branchMap().putAll(branches);
        return bank;
    }

    /** Applies the next record of the bank's part of the log. */
    void replay(WalRecord record) {
        if (record instanceof WalRecord.Prepare prepare) {
            replayPrepare(prepare);
        } else if (record instanceof WalRecord.Commit commit) {
            replayFinish(commit.xid(), BranchState.COMMITTED);
        } else if (record instanceof WalRecord.Rollback rollback) {
            replayFinish(rollback.xid(), BranchState.ROLLED_BACK);
        } else if (record instanceof WalRecord.PrepareMany many) {
            many.branches().forEach(this::replayPrepare);
        } else if (record instanceof WalRecord.CommitMany many) {
            many.xids().forEach(xid -> replayFinish(xid, BranchState.COMMITTED));
        } else if (record instanceof WalRecord.RollbackMany many) {
            many.xids().forEach(xid -> replayFinish(xid, BranchState.ROLLED_BACK));
        } else {
            throw new IllegalStateException("bank " + bank.bankId() + ": a second opening record in its log");
        }
    }

    private void replayPrepare(WalRecord.Prepare prepare) {
        int count = prepare.postings().size();
        Account[] touched = new Account[count];
        long[] amounts = new long[count];
        for (int i = 0; i < count; i++) {
            Posting posting = prepare.postings().get(i);
            touched[i] = bank.accountTable().get(posting.account());
            if (touched[i] == null) {
                throw new IllegalStateException("bank " + bank.bankId() + ": logged prepare of " + prepare.xid()
                        + " names unknown account " + posting.account());
            }
            amounts[i] = posting.amount();
            touched[i].hold(amounts[i]);
        }
        Branch previous = branches.put(prepare.xid(), new Branch(prepare.xid(), touched, amounts));
        if (previous != null) {
            throw new IllegalStateException("bank " + bank.bankId() + ": " + prepare.xid() + " prepared twice");
        }
    }

    private void replayFinish(Xid xid, BranchState finalState) {
        Branch branch = branches.remove(xid);
        if (branch != null) {
            if (finalState == BranchState.COMMITTED) {
                branch.postHolds();
            } else {
                branch.releaseHolds();
            }
            branch.moveTo(finalState);
        }
        // The bank's own id string in place of the one each record decoded, since markers outlive replay by far.
        Xid marker = xid.bankId().equals(bank.bankId()) ? new Xid(xid.transactionId(), bank.bankId()) : xid;
        bank.finishedXids().put(marker, finalState);
    }

    private void checkInvariants() {
        try {
            bank.accountTable().forEachTouched(Account::checkInvariants);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "bank " + bank.bankId() + ": replaying write-ahead log " + log.file() + " broke an invariant", e);
        }
    }
}
