package io.clearhouse.bank.memory;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shortest log that restores a bank's present state: an opening record with the posted balances, a commit or
 * rollback record per remembered finished xid (older generation first), and a prepare record
 * per prepared branch. Taken at open, before the bank serves calls.
 */
final class WalSnapshot {
    private WalSnapshot() {}

    static List<WalRecord> of(MemoryBankAdapter bank) {
        List<WalRecord> records = new ArrayList<>();
        records.add(new WalRecord.Opening(bank.bankId(), bank.postedBalances()));
        for (Map.Entry<Xid, BranchState> finished : bank.finishedXids().entries()) {
            Xid xid = finished.getKey();
            records.add(
                    finished.getValue() == BranchState.COMMITTED
                            ? new WalRecord.Commit(xid)
                            : new WalRecord.Rollback(xid));
        }
        for (Branch branch : bank.branchMap().values()) {
            if (branch.state() == BranchState.PREPARED) {
                records.add(new WalRecord.Prepare(branch.xid, postings(branch)));
            }
        }
        return records;
    }

    private static List<Posting> postings(Branch branch) {
        List<Posting> postings = new ArrayList<>(branch.accounts().length);
        for (int i = 0; i < branch.accounts().length; i++) {
            postings.add(new Posting(branch.accounts()[i].id, branch.amounts()[i]));
        }
        return postings;
    }
}
