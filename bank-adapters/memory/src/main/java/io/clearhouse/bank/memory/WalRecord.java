package io.clearhouse.bank.memory;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.Xid;
import java.util.List;
import java.util.Map;

/** What the memory bank writes to its write-ahead log, one journal record each. */
sealed interface WalRecord {
    /** The accounts and their posted balances when the log starts, in the bank's account order. */
    record Opening(String bankId, Map<String, Long> postedBalances) implements WalRecord {}

    /** A branch was prepared with these postings; forced before the bank votes COMMIT. */
    record Prepare(Xid xid, List<Posting> postings) implements WalRecord {}

    /** A prepared branch was committed; written lazily, since a lost one brings the branch back prepared. */
    record Commit(Xid xid) implements WalRecord {}

    /**
     * A branch was rolled back, or an unknown xid was marked so that its late prepare aborts; written lazily,
     * since a lost one brings the branch back prepared and the coordinator rolls it back again.
     */
    record Rollback(Xid xid) implements WalRecord {}
}
