package io.clearhouse.bench;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Transaction;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The participants' share of a transfer, with no coordinator: the calling thread prepares each bank's branch and
 * then commits them, or rolls back those prepared after a NO vote, with nothing logged in between. Not a safe
 * coordinator (a crash between the phases leaves branches no one will finish); it is the floor under both sides of
 * the comparison, whose cost, taken from theirs, leaves what each coordinator itself adds.
 */
final class BanksAlone extends CallingThreadCoordinator {
    private final Map<String, BankAdapter> banksById;

    BanksAlone(Map<String, BankAdapter> banksById) {
        this.banksById = Map.copyOf(banksById);
    }

    @Override
    Outcome run(Transaction transaction) {
        Map<String, List<Posting>> postingsByBank = postingsByBank(transaction);
        List<BankAdapter> prepared = new ArrayList<>();
        Vote.Abort refusal = null;
        for (Map.Entry<String, List<Posting>> branch : postingsByBank.entrySet()) {
            BankAdapter bank = banksById.get(branch.getKey());
            Vote vote = bank.prepare(new Xid(transaction.id(), bank.bankId()), branch.getValue());
            if (vote instanceof Vote.Abort abort) {
                refusal = abort;
                break;
            }
            prepared.add(bank);
        }
        for (BankAdapter bank : prepared) {
            Xid xid = new Xid(transaction.id(), bank.bankId());
            if (refusal == null) {
                bank.commit(xid);
            } else {
                bank.rollback(xid);
            }
        }
        return refusal == null
                ? Outcome.committed(transaction.id())
                : Outcome.aborted(transaction.id(), refusal.reason());
    }
}
