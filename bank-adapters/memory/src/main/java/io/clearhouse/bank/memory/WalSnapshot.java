package io.clearhouse.bank.memory;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shortest log that restores a bank's present state: an opening record with the posted balances, the remembered
 * finished xids (older generation first) as commit and rollback records of many xids, each run of one outcome in
 * records of at most {@value #MARKERS_PER_RECORD}, and a prepare record per prepared branch. Taken at open, before
 * the bank serves calls. A bank remembers up to hundreds of thousands of finished xids, and a record each made the
 * next open decode, and this one encode and write, that many records (issue 17).
 */
final class WalSnapshot {
    static final int MARKERS_PER_RECORD = 1024;

    private WalSnapshot() {}

    static List<WalRecord> of(MemoryBankAdapter bank) {
        List<WalRecord> records = new ArrayList<>();
        records.add(new WalRecord.Opening(bank.bankId(), bank.postedBalances()));
        List<Xid> run = new ArrayList<>();
        BranchState runState = null;
        for (Map.Entry<Xid, BranchState> finished : bank.finishedXids().entries()) {
            if (finished.getValue() != runState || run.size() == MARKERS_PER_RECORD) {
                addMarkers(records, run, runState);
                run = new ArrayList<>();
                runState = finished.getValue();
            }
            run.add(finished.getKey());
        }
        addMarkers(records, run, runState);
        for (Branch branch : bank.branchMap().values()) {
            if (branch.state() == BranchState.PREPARED) {
                records.add(new WalRecord.Prepare(branch.xid, postings(branch)));
            }
        }
        return records;
    }

    private static void addMarkers(List<WalRecord> records, List<Xid> run, BranchState state) {
        if (!run.isEmpty()) {
            records.add(
                    state == BranchState.COMMITTED ? new WalRecord.CommitMany(run) : new WalRecord.RollbackMany(run));
        }
    }

    private static List<Posting> postings(Branch branch) {
        List<Posting> postings = new ArrayList<>(branch.accounts().length);
        for (int i = 0; i < branch.accounts().length; i++) {
            postings.add(new Posting(branch.accounts()[i].id, branch.amounts()[i]));
        }
        return postings;
    }
}
