package io.clearhouse.bench;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Transaction;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.CoordinatorCounters;
import io.clearhouse.core.RecordedTransaction;
import io.clearhouse.core.Submission;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The participants' share of a transfer, with no coordinator: the calling thread prepares each bank's branch and
 * then commits them, or rolls back those prepared after a NO vote, with nothing logged in between. Not a safe
 * coordinator (a crash between the phases leaves branches no one will finish); it is the floor under both sides of
 * the comparison, whose cost, taken from theirs, leaves what each coordinator itself adds.
 */
final class BanksAlone implements Coordinator {
    private final Map<String, BankAdapter> banksById;
    private final LongAdder committed = new LongAdder();
    private final LongAdder aborted = new LongAdder();

    BanksAlone(Map<String, BankAdapter> banksById) {
        this.banksById = Map.copyOf(banksById);
    }

    @Override
    public Submission submit(Transaction transaction) {
        Map<String, List<Posting>> postingsByBank = new LinkedHashMap<>();
        for (Posting posting : transaction.postings()) {
            String bankId = CrossBankTransfers.bankIdOf(posting.account());
            postingsByBank.computeIfAbsent(bankId, any -> new ArrayList<>()).add(posting);
        }
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
        Outcome outcome;
        if (refusal == null) {
            committed.increment();
            outcome = Outcome.committed(transaction.id());
        } else {
            aborted.increment();
            outcome = Outcome.aborted(transaction.id(), refusal.reason());
        }
        CompletableFuture<Outcome> done = CompletableFuture.completedFuture(outcome);
        return new Submission(done, done);
    }

    @Override
    public Optional<Outcome> outcome(String transactionId) {
        return Optional.empty();
    }

    @Override
    public Optional<RecordedTransaction> recorded(String transactionId) {
        return Optional.empty();
    }

    @Override
    public CoordinatorCounters counters() {
        return new CoordinatorCounters(committed.sum(), aborted.sum(), 0, 0, 0);
    }

    @Override
    public void close() {}
}
