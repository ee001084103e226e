package io.clearhouse.bank.jdbc;

import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A jdbc bank in mode {@code escrow}: a prepare message is one local transaction that inserts a hold row per branch
 * and moves the amounts from available to held; a commit message posts the holds, a rollback message releases them,
 * one transaction each. No row lock outlives its transaction, so a hot account keeps accepting other transfers while
 * branches on it wait for their decision; the holds are what keeps the balance from going negative.
 */
final class EscrowJdbcBank extends JdbcBank {
    EscrowJdbcBank(
            String bankId, JdbcBankSettings settings, BranchBook book, Set<String> accounts, AutoCloseable resources) {
        super(bankId, settings, book, accounts, resources);
    }

    @Override
    List<Vote> prepareChunk(List<BranchPrepare> branches) {
        return escrowVotes(book.reserve(branches));
    }

    @Override
    void commitChunk(List<Xid> xids) {
        book.post(xids, BranchState.HELD);
    }

    @Override
    void rollbackChunk(List<Xid> xids) {
        book.release(xids);
    }

    @Override
    public Set<Xid> recover() {
        return new HashSet<>(book.inState(BranchState.HELD));
    }
}
