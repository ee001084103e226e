package io.clearhouse.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Drives one bank from many threads the way coordinators would: random transfers between its accounts, as one
 * branch or as a debit branch and a credit branch of two transactions decided together, committed or rolled back at
 * random, with duplicated calls; the two branches of a split transfer go in one prepare message and one commit or
 * rollback message half of the time. It counts what it committed, so that the bank's final balances can be checked to
 * the unit.
 */
final class ConcurrentTransferLoad {
    /**
     * How hard the load pushes.
     *
     * @param threads the threads calling the bank at once
     * @param transactionsPerThread the transactions each thread drives to the end
     * @param amountMax the largest amount moved by one transaction
     * @param timeoutSeconds how long the whole run may take before it counts as hung
     * @param seed the seed of every random choice, printed on failure
     * @param pairs which accounts a transaction moves money between
     */
    record Settings(
            int threads, int transactionsPerThread, long amountMax, long timeoutSeconds, long seed, Pairs pairs) {}

    /** Which accounts a transaction moves money between. */
    enum Pairs {
        /** Any two: contention spreads over the accounts. */
        ANY_TWO,
        /** The first account and any other: every branch contends for one hot account. */
        THROUGH_FIRST
    }

    private static final Vote INSUFFICIENT_FUNDS = Vote.abort(Reason.INSUFFICIENT_FUNDS);

    private final BankAdapter bank;
    private final Settings settings;
    private final List<String> accounts;
    private final AtomicLongArray committedChange;

    ConcurrentTransferLoad(BankAdapter bank, Settings settings) {
        this.bank = bank;
        this.settings = settings;
        this.accounts = List.copyOf(bank.postedBalances().keySet());
        this.committedChange = new AtomicLongArray(accounts.size());
    }

    /**
     * Runs the load to the end and returns the posted balances the bank must now show.
     *
     * @throws Exception whatever a thread failed with; the caller names the seed
     */
    Map<String, Long> run() throws Exception {
        Map<String, Long> opening = bank.postedBalances();
        ExecutorService executor = Executors.newFixedThreadPool(settings.threads());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> workers = new ArrayList<>();
            for (int thread = 0; thread < settings.threads(); thread++) {
                workers.add(executor.submit(worker(thread, start)));
            }
            start.countDown();
            long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.timeoutSeconds());
            for (Future<Void> worker : workers) {
                worker.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        Map<String, Long> expected = new LinkedHashMap<>();
        for (int i = 0; i < accounts.size(); i++) {
            expected.put(accounts.get(i), opening.get(accounts.get(i)) + committedChange.get(i));
        }
        return expected;
    }

    private Callable<Void> worker(int thread, CountDownLatch start) {
        return () -> {
            Random random = new Random(settings.seed() * 31 + thread);
            start.await();
            for (int i = 0; i < settings.transactionsPerThread(); i++) {
                runTransaction("load-" + thread + "-" + i, random);
            }
            return null;
        };
    }

    private void runTransaction(String transactionId, Random random) throws Exception {
        int from = random.nextInt(accounts.size());
        int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
        if (settings.pairs() == Pairs.THROUGH_FIRST && from != 0 && to != 0) {
            if (random.nextBoolean()) {
                from = 0;
            } else {
                to = 0;
            }
        }
        long amount = 1 + (long) random.nextInt((int) settings.amountMax());
        boolean split = random.nextBoolean();
        Map<Xid, List<Posting>> branches = branches(transactionId, from, to, amount, split);
        boolean asMessages = split && random.nextBoolean();
        boolean allCommit = asMessages ? prepareMessage(branches) : prepareEach(branches, random);
        boolean commit = allCommit && random.nextInt(5) != 0;
        if (asMessages) {
            finishMessage(List.copyOf(branches.keySet()), commit, random);
        } else {
            for (Xid xid : branches.keySet()) {
                finish(xid, commit, random);
            }
        }
        if (commit) {
            committedChange.addAndGet(from, -amount);
            committedChange.addAndGet(to, amount);
        }
        assertBalanceNotNegative(accounts.get(from));
        assertBalanceNotNegative(accounts.get(to));
    }

    private Map<Xid, List<Posting>> branches(String transactionId, int from, int to, long amount, boolean split) {
        Posting debit = new Posting(accounts.get(from), -amount);
        Posting credit = new Posting(accounts.get(to), amount);
        Map<Xid, List<Posting>> branches = new LinkedHashMap<>();
        if (split) {
            branches.put(new Xid(transactionId + "-debit", bank.bankId()), List.of(debit));
            branches.put(new Xid(transactionId + "-credit", bank.bankId()), List.of(credit));
        } else {
            branches.put(new Xid(transactionId, bank.bankId()), List.of(debit, credit));
        }
        return branches;
    }

    private boolean prepareEach(Map<Xid, List<Posting>> branches, Random random) {
        boolean allCommit = true;
        for (Map.Entry<Xid, List<Posting>> branch : branches.entrySet()) {
            allCommit &= prepare(branch.getKey(), branch.getValue(), random);
        }
        return allCommit;
    }

    private boolean prepareMessage(Map<Xid, List<Posting>> branches) throws Exception {
        List<BranchPrepare> message = new ArrayList<>();
        branches.forEach((xid, postings) -> message.add(new BranchPrepare(xid, postings)));
        List<Vote> votes =
                bank.prepareMany(message).toCompletableFuture().get(settings.timeoutSeconds(), TimeUnit.SECONDS);
        assertThat(votes).as("votes on %s", branches.keySet()).hasSize(message.size());
        assertThat(votes)
                .as("votes on %s", branches.keySet())
                .allMatch(vote -> vote.equals(Vote.COMMIT) || vote.equals(INSUFFICIENT_FUNDS));
        return votes.stream().allMatch(Vote.COMMIT::equals);
    }

    private void finishMessage(List<Xid> xids, boolean commit, Random random) throws Exception {
        int messages = random.nextInt(10) == 0 ? 2 : 1;
        for (int message = 0; message < messages; message++) {
            (commit ? bank.commitMany(xids) : bank.rollbackMany(xids))
                    .toCompletableFuture()
                    .get(settings.timeoutSeconds(), TimeUnit.SECONDS);
        }
    }

    private boolean prepare(Xid xid, List<Posting> postings, Random random) {
        Vote vote = bank.prepare(xid, postings);
        assertThat(vote).as("vote on %s", xid).isIn(Vote.COMMIT, INSUFFICIENT_FUNDS);
        if (vote.equals(Vote.COMMIT) && random.nextInt(10) == 0) {
            assertThat(bank.prepare(xid, postings))
                    .as("repeated vote on %s", xid)
                    .isEqualTo(Vote.COMMIT);
        }
        return vote.equals(Vote.COMMIT);
    }

    private void finish(Xid xid, boolean commit, Random random) {
        int calls = random.nextInt(10) == 0 ? 2 : 1;
        for (int call = 0; call < calls; call++) {
            if (commit) {
                bank.commit(xid);
            } else {
                bank.rollback(xid);
            }
        }
    }

    private void assertBalanceNotNegative(String account) {
        AccountBalance balance = bank.account(account).orElseThrow();
        assertThat(balance.posted()).as("posted balance of %s", account).isNotNegative();
        assertThat(balance.held()).as("held amount of %s", account).isBetween(0L, balance.posted());
    }
}
