package io.clearhouse.bank.memory;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The process {@link MemoryBankCrashIT} kills: threads move money between the accounts of one durable bank (the
 * directory is the first argument), each transfer prepared, then committed or rolled back, and print
 * {@code prepared XID} once the bank voted COMMIT, until the process is killed.
 */
public final class TransferUntilKilled {
    static final String BANK = "crash-bank";
    static final int ACCOUNTS = 16;
    static final long OPENING_BALANCE = 1_000;
    static final int THREADS = 8;
    static final int TRANSFERS_PER_THREAD_MAX = 1_000_000;

    private TransferUntilKilled() {}

    static Map<String, Long> openingBalances() {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (int account = 0; account < ACCOUNTS; account++) {
            balances.put("account-" + account, OPENING_BALANCE);
        }
        return balances;
    }

    public static void main(String[] arguments) throws InterruptedException {
        MemoryBankAdapter bank = MemoryBankAdapter.durable(BANK, openingBalances(), Path.of(arguments[0]), true);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(new Thread(() -> transfer(bank, arguments[1] + "-" + thread, out)));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void transfer(MemoryBankAdapter bank, String name, PrintStream out) {
        Random random = new Random(name.hashCode());
        for (int i = 0; i < TRANSFERS_PER_THREAD_MAX; i++) {
            Xid xid = new Xid(name + "-" + i, BANK);
            int from = random.nextInt(ACCOUNTS);
            int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            long amount = 1 + random.nextInt(100);
            List<Posting> postings =
                    List.of(new Posting("account-" + from, -amount), new Posting("account-" + to, amount));
            if (!bank.prepare(xid, postings).equals(Vote.COMMIT)) {
                continue;
            }
            synchronized (out) {
                out.println("prepared " + xid.transactionId());
                out.flush();
            }
            if (random.nextInt(4) == 0) {
                bank.rollback(xid);
            } else {
                bank.commit(xid);
            }
        }
    }
}
