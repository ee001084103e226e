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

    /**
     * The branches of one prepare message that reserved, each with its postings; forced before any of them votes
     * COMMIT. Replayed as their {@link Prepare} records would be, in order.
     */
    record PrepareMany(List<Prepare> branches) implements WalRecord {}

    /** The prepared branches one commit message committed; lazy, as {@link Commit}. */
    record CommitMany(List<Xid> xids) implements WalRecord {}

    /** The branches one rollback message rolled back or marked; lazy, as {@link Rollback}. */
    record RollbackMany(List<Xid> xids) implements WalRecord {}
}
