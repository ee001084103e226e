package io.clearhouse.bankserver;

import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Xid;
import java.util.List;

/** One validated message of a request, for one bank: the arguments of one SPI message call, or one read. */
sealed interface BankMessage {
    String bank();

    record Prepare(String bank, List<BranchPrepare> branches) implements BankMessage {}

    record Commit(String bank, List<Xid> xids) implements BankMessage {}

    record Rollback(String bank, List<Xid> xids) implements BankMessage {}

    /** A read of the bank's prepared branches, answered in request order with the other messages. */
    record Recover(String bank) implements BankMessage {}

    /** A read of the bank's posted balances, answered in request order with the other messages. */
    record Balances(String bank) implements BankMessage {}
}
