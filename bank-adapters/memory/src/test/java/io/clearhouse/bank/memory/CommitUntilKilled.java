package io.clearhouse.bank.memory;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The process {@link PhaseTwoDurableCrashIT} kills: threads move money between the accounts of one durable bank with
 * {@link MemoryBankOptions#phaseTwoDurable()} (the directory is the first argument), in prepare messages of a few
 * transfers, then commit the COMMIT branches in one message, or one by one, and print {@code committed XID} for each
 * once the commit is acknowledged, until the process is killed.
 */
public final class CommitUntilKilled {
    static final int THREADS = 4;
    static final int BRANCHES_PER_MESSAGE = 4;

    private CommitUntilKilled() {}

    static MemoryBankOptions options(Path directory) {
        return MemoryBankOptions.durable(directory, true).withPhaseTwoDurable(true);
    }

    public static void main(String[] arguments) throws InterruptedException {
        MemoryBankAdapter bank = MemoryBankAdapter.open(
                TransferUntilKilled.BANK, TransferUntilKilled.openingBalances(), options(Path.of(arguments[0])));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String name = arguments[1] + "-" + t;
            threads.add(new Thread(() -> transfer(bank, name, out)));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void transfer(MemoryBankAdapter bank, String name, PrintStream out) {
        Random random = new Random(name.hashCode());
        for (int message = 0; message < TransferUntilKilled.TRANSFERS_PER_THREAD_MAX; message++) {
            List<BranchPrepare> branches = new ArrayList<>();
            for (int i = 0; i < BRANCHES_PER_MESSAGE; i++) {
                branches.add(new BranchPrepare(
                        new Xid(name + "-" + message + "-" + i, TransferUntilKilled.BANK), postings(random)));
            }
            List<Vote> votes = bank.prepareMany(branches).toCompletableFuture().join();
            List<Xid> prepared = new ArrayList<>();
            for (int i = 0; i < votes.size(); i++) {
                if (votes.get(i).equals(Vote.COMMIT)) {
                    prepared.add(branches.get(i).xid());
                }
            }
            if (random.nextBoolean()) {
                bank.commitMany(prepared).toCompletableFuture().join();
            } else {
                prepared.forEach(bank::commit);
            }
            synchronized (out) {
                prepared.forEach(xid -> out.println("committed " + xid.transactionId()));
                out.flush();
            }
        }
    }

    private static List<Posting> postings(Random random) {
        int accounts = TransferUntilKilled.ACCOUNTS;
        int from = random.nextInt(accounts);
        int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
        long amount = 1 + random.nextInt(100);
        return List.of(new Posting("account-" + from, -amount), new Posting("account-" + to, amount));
    }
}
