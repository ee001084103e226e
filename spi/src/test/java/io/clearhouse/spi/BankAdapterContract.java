package io.clearhouse.spi;

import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static io.clearhouse.spi.BankInvariants.assertNoNegativeBalance;
import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance kit: what every {@link BankAdapter} must do, as written in that interface's javadoc. An adapter's
 * test extends this class and says how to open its bank; every test here then runs against it. Each test opens a
 * fresh bank (a new JUnit test instance, so a {@code @TempDir} field is new too) and the kit closes every bank it
 * opened when the test ends.
 *
 * <pre>{@code
 * class MyBankConformanceTest extends BankAdapterContract {
 *     @TempDir
 *     Path directory;
 *
 *     @Override
 *     protected BankAdapter open(String bankId, Map<String, Long> initialBalances) {
 *         Map<String, String> settings = Map.of("directory", directory.toString());
 *         return new MyBankProvider().open(new BankConfig(bankId, initialBalances, settings));
 *     }
 * }
 * }</pre>
 *
 * <p>An adapter whose state survives a crash extends {@link DurableBankAdapterContract} instead. A failure names the
 * {@link ContractPoint} it breaks. The randomised tests (the concurrent loads and the fault-injection runs of {@link
 * FaultInjectionRun}) print their seed: set the system property {@code clearhouse.kit.seed} to replay it, and {@code
 * clearhouse.kit.seeds} to run more seeds of the fault-injection runs than the few they run by default ({@code
 * clearhouse.kit.reopens}: more reopens per seed of a durable bank).
 */
@ExtendWith(ContractPointNaming.class)
public abstract class BankAdapterContract {
    protected static final String BANK_ID = "kit-bank";
    /** The system property that replays the concurrent load with the seed a failure printed. */
    public static final String SEED_PROPERTY = "clearhouse.kit.seed";
    /** The system property that sets how many seeds each fault-injection test runs, one after the other. */
    public static final String SEEDS_PROPERTY = "clearhouse.kit.seeds";
    /** The system property that sets how often each seed of a durable bank's fault-injection test reopens it. */
    public static final String REOPENS_PROPERTY = "clearhouse.kit.reopens";

    private static final long MAX = Long.MAX_VALUE;
    private static final int LOAD_THREADS = 16;
    private static final int LOAD_TRANSACTIONS_PER_THREAD = 250;
    private static final int LOAD_ACCOUNTS = 8;
    private static final long LOAD_OPENING_BALANCE = 1_000;
    private static final long LOAD_AMOUNT_MAX = 300;
    private static final long LOAD_TIMEOUT_SECONDS = 120;
    static final int CONCURRENT_CALLERS = 8;
    /*
     * The defaults keep the fault-injection tests to about a second on a bank over PostgreSQL or the network, which
     * every call of a run reaches five times (the call, then the checks); clearhouse.kit.seeds runs more.
     */
    private static final int FAULT_SEEDS = 6;
    private static final int FAULT_STEPS = 30;
    private static final int HOT_THREADS = 8;
    private static final int HOT_TRANSACTIONS_PER_THREAD = 60;
    private static final long HOT_OPENING_BALANCE = 500;

    private final List<BankAdapter> openBanks = new ArrayList<>();
    private final Set<BankAdapter> closedBanks = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Opens the bank under test with these accounts and opening balances (insertion order kept). */
    protected abstract BankAdapter open(String bankId, Map<String, Long> initialBalances);

    /** Opens a bank through {@link #open} and closes it when the test ends. */
    protected final BankAdapter openBank(Map<String, Long> initialBalances) {
        return track(open(BANK_ID, initialBalances));
    }

    protected final BankAdapter track(BankAdapter bank) {
        assertThat(bank).as("the bank that open() returned").isNotNull();
        openBanks.add(bank);
        return bank;
    }

    /** Closes a bank the kit opened; closing it again at the end of the test is skipped. */
    protected final void closeBank(BankAdapter bank) {
        if (closedBanks.add(bank)) {
            bank.close();
        }
    }

    @AfterEach
    final void closeOpenBanks() {
        for (BankAdapter bank : openBanks) {
            closeBank(bank);
        }
    }

    /** A map that keeps the order of its arguments: {@code balances("a", 10L, "b", 20L)}. */
    protected static Map<String, Long> balances(Object... accountsAndBalances) {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (int i = 0; i < accountsAndBalances.length; i += 2) {
            balances.put((String) accountsAndBalances[i], (Long) accountsAndBalances[i + 1]);
        }
        return balances;
    }

    protected static Xid xid(String transactionId) {
        return new Xid(transactionId, BANK_ID);
    }

    protected static List<Posting> debit(String account, long amount) {
        return List.of(new Posting(account, -amount));
    }

    protected static List<Posting> credit(String account, long amount) {
        return List.of(new Posting(account, amount));
    }

    protected static List<Posting> transfer(String from, String to, long amount) {
        return List.of(new Posting(from, -amount), new Posting(to, amount));
    }

    protected static AccountBalance balanceOf(BankAdapter bank, String account) {
        return bank.account(account).orElseThrow(() -> new AssertionError("the bank lost account " + account));
    }

    protected static Vote abort(Reason reason) {
        return Vote.abort(reason);
    }

    @Test
    @Checks(ContractPoint.C18)
    void opensWithItsIdAccountsAndOpeningBalances() {
        BankAdapter bank = openBank(balances("zeta", 30L, "alpha", 10L, "mid", 0L));

        assertThat(bank.bankId()).isEqualTo(BANK_ID);
        assertThat(bank.accounts()).containsExactlyInAnyOrder("zeta", "alpha", "mid");
        assertThat(bank.postedBalances())
                .containsExactly(Map.entry("zeta", 30L), Map.entry("alpha", 10L), Map.entry("mid", 0L));
        assertThat(bank.account("alpha")).contains(new AccountBalance("alpha", 10, 0));
        assertAtRest(bank, balances("zeta", 30L, "alpha", 10L, "mid", 0L));
    }

    @Test
    @Checks(ContractPoint.C18)
    void accountOfUnknownAccountIsEmpty() {
        BankAdapter bank = openBank(balances("a", 10L));

        assertThat(bank.account("nobody")).isEmpty();
        assertThat(bank.account("A")).isEmpty();
    }

    @Test
    @Checks(ContractPoint.C1)
    void preparedDebitHoldsAmountWithoutChangingPostedBalance() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));

        assertThat(bank.prepare(xid("t1"), debit("a", 30))).isEqualTo(Vote.COMMIT);

        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 30));
        assertThat(balanceOf(bank, "a").available()).isEqualTo(70);
        assertThat(bank.postedBalances()).containsExactlyEntriesOf(balances("a", 100L, "b", 0L));
        assertNoNegativeBalance(bank);
    }

    @Test
    @Checks(ContractPoint.C2)
    void committedDebitPostsHold() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("t1"), debit("a", 30));

        bank.commit(xid("t1"));

        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 70, 0));
        assertAtRest(bank, balances("a", 70L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C3)
    void rolledBackDebitReleasesHold() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("t1"), debit("a", 30));

        bank.rollback(xid("t1"));

        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 0));
        assertAtRest(bank, balances("a", 100L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C1)
    void preparedCreditIsInvisibleUntilCommit() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 5L));

        assertThat(bank.prepare(xid("t1"), credit("b", 40))).isEqualTo(Vote.COMMIT);
        assertThat(balanceOf(bank, "b")).isEqualTo(new AccountBalance("b", 5, 0));
        assertThat(bank.postedBalances()).containsExactlyEntriesOf(balances("a", 100L, "b", 5L));

        bank.commit(xid("t1"));
        assertAtRest(bank, balances("a", 100L, "b", 45L));
    }

    @Test
    @Checks(ContractPoint.C1)
    void preparedCreditCannotBeSpentBeforeCommit() {
        BankAdapter bank = openBank(balances("a", 0L, "b", 0L));
        bank.prepare(xid("credit"), credit("a", 50));

        assertThat(bank.prepare(xid("debit"), debit("a", 1))).isEqualTo(abort(Reason.INSUFFICIENT_FUNDS));

        bank.rollback(xid("credit"));
        bank.rollback(xid("debit"));
        assertAtRest(bank, balances("a", 0L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C3)
    void rolledBackCreditLeavesNoTrace() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 5L));
        bank.prepare(xid("t1"), credit("b", 40));

        bank.rollback(xid("t1"));

        assertAtRest(bank, balances("a", 100L, "b", 5L));
    }

    @Test
    @Checks(ContractPoint.C2)
    void committedTransferMovesMoneyBetweenAccounts() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 5L));

        assertThat(bank.prepare(xid("t1"), transfer("a", "b", 60))).isEqualTo(Vote.COMMIT);
        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 60));
        assertThat(balanceOf(bank, "b")).isEqualTo(new AccountBalance("b", 5, 0));
        bank.commit(xid("t1"));

        assertAtRest(bank, balances("a", 40L, "b", 65L));
    }

    @Test
    @Checks(ContractPoint.C18)
    void postedBalancesKeepOpeningOrderAndShowOnlyCommittedPostings() {
        BankAdapter bank = openBank(balances("c", 10L, "a", 20L, "b", 30L));
        bank.prepare(xid("committed"), transfer("a", "c", 5));
        bank.prepare(xid("pending"), transfer("b", "a", 7));
        bank.commit(xid("committed"));

        assertThat(bank.postedBalances()).containsExactlyEntriesOf(balances("c", 15L, "a", 15L, "b", 30L));

        bank.rollback(xid("pending"));
        assertAtRest(bank, balances("c", 15L, "a", 15L, "b", 30L));
    }

    @Test
    @Checks(ContractPoint.C1)
    void holdsOfSeveralBranchesAddUp() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("t1"), debit("a", 30));
        bank.prepare(xid("t2"), debit("a", 50));

        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 80));
        bank.commit(xid("t2"));
        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 50, 30));
        bank.rollback(xid("t1"));

        assertAtRest(bank, balances("a", 50L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C4)
    void votesReadOnlyForBranchWithoutPostings() {
        BankAdapter bank = openBank(balances("a", 100L));

        assertThat(bank.prepare(xid("t1"), List.of())).isEqualTo(Vote.READ_ONLY);

        assertThat(bank.recover()).isEmpty();
        bank.commit(xid("t1"));
        assertAtRest(bank, balances("a", 100L));
    }

    @Test
    @Checks(ContractPoint.C4)
    void debitOfWholeAvailableBalanceVotesCommit() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("t1"), debit("a", 40));

        assertThat(bank.prepare(xid("t2"), debit("a", 60))).isEqualTo(Vote.COMMIT);

        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 100));
        bank.commit(xid("t1"));
        bank.commit(xid("t2"));
        assertAtRest(bank, balances("a", 0L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C4)
    void abortsDebitAboveBalanceWithInsufficientFunds() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));

        assertThat(bank.prepare(xid("t1"), debit("a", 101))).isEqualTo(abort(Reason.INSUFFICIENT_FUNDS));
        assertThat(bank.prepare(xid("t2"), transfer("b", "a", 1))).isEqualTo(abort(Reason.INSUFFICIENT_FUNDS));

        assertAtRest(bank, balances("a", 100L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C4)
    void abortsWithInsufficientFundsWhenEarlierHoldsUseUpBalance() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("t1"), debit("a", 70));

        assertThat(bank.prepare(xid("t2"), debit("a", 31))).isEqualTo(abort(Reason.INSUFFICIENT_FUNDS));

        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 70));
        assertThat(bank.recover()).containsExactly(xid("t1"));
        bank.rollback(xid("t1"));
        assertThat(bank.prepare(xid("t3"), debit("a", 100))).isEqualTo(Vote.COMMIT);
        bank.commit(xid("t3"));
        assertAtRest(bank, balances("a", 0L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C4)
    void abortsPostingOnAccountOfNoBankWithUnknownAccount() {
        BankAdapter bank = openBank(balances("a", 100L));

        assertThat(bank.prepare(xid("t1"), debit("elsewhere", 5))).isEqualTo(abort(Reason.UNKNOWN_ACCOUNT));
        assertThat(bank.prepare(xid("t2"), credit("elsewhere", 5))).isEqualTo(abort(Reason.UNKNOWN_ACCOUNT));
        assertThat(bank.prepare(xid("t3"), transfer("a", "elsewhere", 5))).isEqualTo(abort(Reason.UNKNOWN_ACCOUNT));

        assertThat(bank.account("elsewhere")).isEmpty();
        assertAtRest(bank, balances("a", 100L));
    }

    @Test
    @Checks(ContractPoint.C4)
    void abortsCreditBeyondLongMaxWithBalanceOverflow() {
        BankAdapter bank = openBank(balances("full", MAX - 10, "b", 100L));

        assertThat(bank.prepare(xid("t1"), credit("full", 11))).isEqualTo(abort(Reason.BALANCE_OVERFLOW));
        assertThat(bank.prepare(xid("t2"), transfer("b", "full", 11))).isEqualTo(abort(Reason.BALANCE_OVERFLOW));

        assertAtRest(bank, balances("full", MAX - 10, "b", 100L));
    }

    @Test
    @Checks(ContractPoint.C1)
    void abortsWithBalanceOverflowWhenPendingCreditsTogetherWouldOverflow() {
        BankAdapter bank = openBank(balances("full", MAX - 10, "b", 0L));
        assertThat(bank.prepare(xid("t1"), credit("full", 6))).isEqualTo(Vote.COMMIT);

        assertThat(bank.prepare(xid("t2"), credit("full", 5))).isEqualTo(abort(Reason.BALANCE_OVERFLOW));
        assertThat(bank.prepare(xid("t3"), credit("full", 4))).isEqualTo(Vote.COMMIT);

        bank.commit(xid("t1"));
        bank.commit(xid("t3"));
        assertAtRest(bank, balances("full", MAX, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C1)
    void reservesCreditRoomAgainstPostedBalanceSinceHeldDebitMayBeRolledBack() {
        BankAdapter bank = openBank(balances("full", MAX, "b", 0L));
        bank.prepare(xid("debit"), debit("full", 10));

        assertThat(bank.prepare(xid("credit"), credit("full", 5))).isEqualTo(abort(Reason.BALANCE_OVERFLOW));

        bank.rollback(xid("debit"));
        assertAtRest(bank, balances("full", MAX, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C5)
    void abortedBranchLeavesNothingBehind() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("kept"), debit("a", 10));

        assertThat(bank.prepare(xid("t1"), transfer("a", "b", 500))).isInstanceOf(Vote.Abort.class);

        assertThat(bank.recover()).containsExactly(xid("kept"));
        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 10));
        bank.rollback(xid("t1"));
        bank.rollback(xid("kept"));
        assertAtRest(bank, balances("a", 100L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C5)
    void multiPostingBranchIsAllOrNothing() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 50L, "c", 0L, "full", MAX));
        List<Posting> lastDebitShort = List.of(new Posting("a", -80), new Posting("c", 90), new Posting("b", -51));
        List<Posting> lastAccountUnknown = List.of(new Posting("a", -80), new Posting("c", 80), new Posting("x", -1));
        List<Posting> lastCreditOverflows =
                List.of(new Posting("a", -80), new Posting("b", -1), new Posting("full", 81));

        assertThat(bank.prepare(xid("t1"), lastDebitShort)).isEqualTo(abort(Reason.INSUFFICIENT_FUNDS));
        assertThat(bank.prepare(xid("t2"), lastAccountUnknown)).isEqualTo(abort(Reason.UNKNOWN_ACCOUNT));
        assertThat(bank.prepare(xid("t3"), lastCreditOverflows)).isEqualTo(abort(Reason.BALANCE_OVERFLOW));

        assertAtRest(bank, balances("a", 100L, "b", 50L, "c", 0L, "full", MAX));
        List<Posting> allCovered = List.of(new Posting("a", -80), new Posting("b", -50), new Posting("c", 130));
        assertThat(bank.prepare(xid("t4"), allCovered)).isEqualTo(Vote.COMMIT);
        bank.commit(xid("t4"));
        assertAtRest(bank, balances("a", 20L, "b", 0L, "c", 130L, "full", MAX));
    }

    @Test
    @Checks(ContractPoint.C6)
    void repeatedPrepareVotesCommitAndHoldsOnce() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));

        assertThat(bank.prepare(xid("t1"), transfer("a", "b", 60))).isEqualTo(Vote.COMMIT);
        assertThat(bank.prepare(xid("t1"), transfer("a", "b", 60))).isEqualTo(Vote.COMMIT);

        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 60));
        assertThat(bank.recover()).containsExactly(xid("t1"));
        bank.commit(xid("t1"));
        assertAtRest(bank, balances("a", 40L, "b", 60L));
    }

    /** The vote a {@link BankAdapter#prepareAsync} stage completes with, waited for at most 30 s. */
    protected static Vote voteOf(CompletionStage<Vote> vote) {
        try {
            return vote.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the prepareAsync stage did not complete with a vote", e);
        }
    }

    @Test
    @Checks(ContractPoint.C17)
    void prepareAsyncVotesAsPrepareDoes() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));

        assertThat(voteOf(bank.prepareAsync(xid("t1"), transfer("a", "b", 60)))).isEqualTo(Vote.COMMIT);
        assertThat(voteOf(bank.prepareAsync(xid("t2"), debit("a", 41)))).isEqualTo(abort(Reason.INSUFFICIENT_FUNDS));
        assertThat(voteOf(bank.prepareAsync(xid("t3"), debit("nowhere", 1)))).isEqualTo(abort(Reason.UNKNOWN_ACCOUNT));
        assertThat(voteOf(bank.prepareAsync(xid("t4"), List.of()))).isEqualTo(Vote.READ_ONLY);

        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 60));
        assertThat(bank.recover()).containsExactly(xid("t1"));
        bank.commit(xid("t1"));
        assertAtRest(bank, balances("a", 40L, "b", 60L));
    }

    @Test
    @Checks(ContractPoint.C17)
    void prepareAsyncRepeatedBeforeItsVoteHoldsOnce() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));

        CompletionStage<Vote> first = bank.prepareAsync(xid("t1"), transfer("a", "b", 60));
        CompletionStage<Vote> second = bank.prepareAsync(xid("t1"), transfer("a", "b", 60));
        Vote third = bank.prepare(xid("t1"), transfer("a", "b", 60));

        assertThat(List.of(voteOf(first), voteOf(second), third)).containsOnly(Vote.COMMIT);
        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 60));
        bank.commit(xid("t1"));
        assertAtRest(bank, balances("a", 40L, "b", 60L));
    }

    @Test
    @Checks(ContractPoint.C17)
    void rollbackBeforeAnAsynchronousVoteLeavesNothingHeld() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));

        CompletionStage<Vote> pending = bank.prepareAsync(xid("t1"), transfer("a", "b", 60));
        bank.rollback(xid("t1"));

        assertThat(voteOf(pending)).isIn(Vote.COMMIT, abort(Reason.TIMEOUT));
        assertThat(bank.prepare(xid("t1"), transfer("a", "b", 60))).isEqualTo(abort(Reason.TIMEOUT));
        assertThat(bank.recover()).isEmpty();
        assertAtRest(bank, balances("a", 100L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C7)
    void repeatedCommitPostsOnce() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("t1"), transfer("a", "b", 60));

        bank.commit(xid("t1"));
        bank.commit(xid("t1"));

        assertAtRest(bank, balances("a", 40L, "b", 60L));
    }

    @Test
    @Checks(ContractPoint.C8)
    void repeatedRollbackReleasesOnce() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("other"), debit("a", 30));
        bank.prepare(xid("t1"), transfer("a", "b", 60));

        bank.rollback(xid("t1"));
        bank.rollback(xid("t1"));

        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 30));
        bank.commit(xid("other"));
        assertAtRest(bank, balances("a", 70L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C10)
    void commitOfUnknownXidIsAcknowledgedAndChangesNothing() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("t1"), debit("a", 10));

        bank.commit(xid("never-prepared"));
        bank.commit(new Xid("t1", "another-bank"));

        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 10));
        assertThat(bank.recover()).containsExactly(xid("t1"));
        bank.rollback(xid("t1"));
        assertAtRest(bank, balances("a", 100L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C9)
    void rollbackOfUnknownXidIsAcknowledgedAndAbortsItsLatePrepareWithTimeout() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));

        bank.rollback(xid("t1"));

        assertAtRest(bank, balances("a", 100L, "b", 0L));
        assertThat(bank.prepare(xid("t1"), transfer("a", "b", 10))).isEqualTo(abort(Reason.TIMEOUT));
        assertThat(bank.recover()).isEmpty();
        bank.commit(xid("t1"));
        assertAtRest(bank, balances("a", 100L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C9)
    void prepareAfterRollbackOfPreparedXidAbortsWithTimeout() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("t1"), transfer("a", "b", 10));
        bank.rollback(xid("t1"));

        assertThat(bank.prepare(xid("t1"), transfer("a", "b", 10))).isEqualTo(abort(Reason.TIMEOUT));

        assertAtRest(bank, balances("a", 100L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C6)
    void prepareAfterCommitVotesCommitAndAppliesNothingMore() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("t1"), transfer("a", "b", 60));
        bank.commit(xid("t1"));

        assertThat(bank.prepare(xid("t1"), transfer("a", "b", 60))).isEqualTo(Vote.COMMIT);

        assertAtRest(bank, balances("a", 40L, "b", 60L));
        bank.commit(xid("t1"));
        assertAtRest(bank, balances("a", 40L, "b", 60L));
    }

    @Test
    @Checks(ContractPoint.C10)
    void sameTransactionIdOnAnotherBankIsAnotherBranch() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("t1"), debit("a", 10));

        bank.rollback(new Xid("t1", "another-bank"));

        assertThat(bank.recover()).containsExactly(xid("t1"));
        bank.commit(xid("t1"));
        assertAtRest(bank, balances("a", 90L, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C13)
    void recoverListsExactlyPreparedUnfinishedXids() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        assertThat(bank.recover()).isEmpty();
        bank.prepare(xid("prepared-debit"), debit("a", 10));
        bank.prepare(xid("prepared-credit"), credit("b", 10));
        bank.prepare(xid("committed"), debit("a", 10));
        bank.prepare(xid("rolled-back"), debit("a", 10));
        bank.prepare(xid("read-only"), List.of());
        bank.prepare(xid("aborted"), debit("a", 1_000));
        bank.commit(xid("committed"));
        bank.rollback(xid("rolled-back"));

        assertThat(bank.recover()).containsExactlyInAnyOrder(xid("prepared-debit"), xid("prepared-credit"));

        bank.commit(xid("prepared-debit"));
        bank.commit(xid("prepared-credit"));
        assertAtRest(bank, balances("a", 80L, "b", 10L));
    }

    @Test
    @Checks(ContractPoint.C18)
    void keepsOpeningBalanceOfLongMax() {
        BankAdapter bank = openBank(balances("rich", MAX, "poor", 0L));

        assertThat(balanceOf(bank, "rich")).isEqualTo(new AccountBalance("rich", MAX, 0));
        assertAtRest(bank, balances("rich", MAX, "poor", 0L));
    }

    @Test
    @Checks(ContractPoint.C2)
    void transfersLongMaxFromFullAccountToEmptyOne() {
        BankAdapter bank = openBank(balances("rich", MAX, "poor", 0L));

        assertThat(bank.prepare(xid("t1"), transfer("rich", "poor", MAX))).isEqualTo(Vote.COMMIT);
        assertThat(balanceOf(bank, "rich")).isEqualTo(new AccountBalance("rich", MAX, MAX));
        bank.commit(xid("t1"));

        assertAtRest(bank, balances("rich", 0L, "poor", MAX));
    }

    @Test
    @Checks(ContractPoint.C1)
    void creditsUpToExactlyLongMax() {
        BankAdapter bank = openBank(balances("a", MAX - 1, "b", 0L));

        assertThat(bank.prepare(xid("t1"), credit("a", 1))).isEqualTo(Vote.COMMIT);
        assertThat(bank.prepare(xid("t2"), credit("b", MAX))).isEqualTo(Vote.COMMIT);
        bank.commit(xid("t1"));
        bank.commit(xid("t2"));

        assertAtRest(bank, balances("a", MAX, "b", MAX));
    }

    @Test
    @Checks(ContractPoint.C4)
    void abortsAmountsOfLongMaxThatDoNotFit() {
        BankAdapter bank = openBank(balances("almost", MAX - 1, "one", 1L, "rich", MAX));

        assertThat(bank.prepare(xid("t1"), debit("almost", MAX))).isEqualTo(abort(Reason.INSUFFICIENT_FUNDS));
        assertThat(bank.prepare(xid("t2"), credit("one", MAX))).isEqualTo(abort(Reason.BALANCE_OVERFLOW));
        assertThat(bank.prepare(xid("t3"), credit("rich", 1))).isEqualTo(abort(Reason.BALANCE_OVERFLOW));
        assertThat(bank.prepare(xid("t4"), transfer("rich", "one", MAX))).isEqualTo(abort(Reason.BALANCE_OVERFLOW));

        assertAtRest(bank, balances("almost", MAX - 1, "one", 1L, "rich", MAX));
    }

    @Test
    @Checks(ContractPoint.C1)
    void abortsWithBalanceOverflowWhenPendingCreditsOfLongMaxMeet() {
        BankAdapter bank = openBank(balances("empty", 0L));

        assertThat(bank.prepare(xid("t1"), credit("empty", MAX))).isEqualTo(Vote.COMMIT);
        assertThat(bank.prepare(xid("t2"), credit("empty", MAX))).isEqualTo(abort(Reason.BALANCE_OVERFLOW));
        assertThat(bank.prepare(xid("t3"), credit("empty", 1))).isEqualTo(abort(Reason.BALANCE_OVERFLOW));

        bank.rollback(xid("t1"));
        assertThat(bank.prepare(xid("t4"), credit("empty", MAX))).isEqualTo(Vote.COMMIT);
        bank.commit(xid("t4"));
        assertAtRest(bank, balances("empty", MAX));
    }

    @Test
    @Checks(ContractPoint.C14)
    void holdsOfLongMaxInSeveralBranchesNeverExceedBalance() {
        BankAdapter bank = openBank(balances("rich", MAX));
        assertThat(bank.prepare(xid("t1"), debit("rich", MAX - 1))).isEqualTo(Vote.COMMIT);

        assertThat(bank.prepare(xid("t2"), debit("rich", MAX))).isEqualTo(abort(Reason.INSUFFICIENT_FUNDS));
        assertThat(bank.prepare(xid("t3"), debit("rich", 2))).isEqualTo(abort(Reason.INSUFFICIENT_FUNDS));
        assertThat(bank.prepare(xid("t4"), debit("rich", 1))).isEqualTo(Vote.COMMIT);

        assertNoNegativeBalance(bank);
        bank.commit(xid("t1"));
        bank.commit(xid("t4"));
        assertAtRest(bank, balances("rich", 0L));
    }

    @Test
    @Checks(ContractPoint.C14)
    void neverPostsBalanceBelowZero() {
        BankAdapter bank = openBank(balances("a", 10L, "b", 0L));
        List<Vote> votes = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            votes.add(bank.prepare(xid("t" + i), transfer("a", "b", 1)));
            assertNoNegativeBalance(bank);
        }
        for (int i = 0; i < 15; i++) {
            bank.commit(xid("t" + i));
            assertNoNegativeBalance(bank);
        }

        assertThat(votes.subList(0, 10)).containsOnly(Vote.COMMIT);
        assertThat(votes.subList(10, 15)).containsOnly(abort(Reason.INSUFFICIENT_FUNDS));
        assertAtRest(bank, balances("a", 0L, "b", 10L));
    }

    @Test
    @Checks(ContractPoint.C16)
    void conservesMoneyUnderConcurrentRandomTransfers() {
        BankAdapter bank = openBank(loadOpeningBalances());
        long seed = loadSeed();
        try {
            Map<String, Long> expected = new ConcurrentTransferLoad(bank, loadSettings(seed)).run();

            assertAtRest(bank, expected);
            assertThat(BankInvariants.totalPosted(bank)).isEqualTo(LOAD_ACCOUNTS * LOAD_OPENING_BALANCE);
        } catch (Exception | AssertionError e) {
            throw loadFailure(seed, e);
        }
    }

    @Test
    @Checks(ContractPoint.C16)
    void keepsMoneyOfOneHotAccountUnderManyConcurrentBranches() {
        Map<String, Long> opening = balances("hot", HOT_OPENING_BALANCE, "cold-1", 100L, "cold-2", 100L, "cold-3", 0L);
        BankAdapter bank = openBank(opening);
        long seed = loadSeed();
        ConcurrentTransferLoad.Settings settings = new ConcurrentTransferLoad.Settings(
                HOT_THREADS,
                HOT_TRANSACTIONS_PER_THREAD,
                LOAD_AMOUNT_MAX,
                LOAD_TIMEOUT_SECONDS,
                seed,
                ConcurrentTransferLoad.Pairs.THROUGH_FIRST);
        try {
            Map<String, Long> expected = new ConcurrentTransferLoad(bank, settings).run();

            assertAtRest(bank, expected);
            assertThat(BankInvariants.totalPosted(bank)).isEqualTo(HOT_OPENING_BALANCE + 200);
        } catch (Exception | AssertionError e) {
            throw ContractPoint.C16.named(loadFailure(seed, e));
        }
    }

    @Test
    @Checks(ContractPoint.C15)
    void keepsEveryRuleUnderDuplicatedAndReorderedCallsAndMessagesWithMixedVotes() {
        BankAdapter bank = openBank(FaultInjectionRun.openingBalances());

        FaultInjectionRun.run(
                bank,
                faultSeeds(),
                new FaultInjectionRun.Settings(FAULT_STEPS, 0),
                FaultInjectionRun.Restarter.NOT_DURABLE);
    }

    /** The seeds of one fault-injection test: {@code clearhouse.kit.seeds} of them from {@code clearhouse.kit.seed}. */
    static FaultInjectionRun.Seeds faultSeeds() {
        return new FaultInjectionRun.Seeds(loadSeed(), Integer.getInteger(SEEDS_PROPERTY, FAULT_SEEDS));
    }

    static Map<String, Long> loadOpeningBalances() {
        Map<String, Long> opening = new LinkedHashMap<>();
        for (int i = 0; i < LOAD_ACCOUNTS; i++) {
            opening.put("load-" + i, LOAD_OPENING_BALANCE);
        }
        return opening;
    }

    static long loadSeed() {
        return Long.getLong(SEED_PROPERTY, System.nanoTime());
    }

    static ConcurrentTransferLoad.Settings loadSettings(long seed) {
        return new ConcurrentTransferLoad.Settings(
                LOAD_THREADS,
                LOAD_TRANSACTIONS_PER_THREAD,
                LOAD_AMOUNT_MAX,
                LOAD_TIMEOUT_SECONDS,
                seed,
                ConcurrentTransferLoad.Pairs.ANY_TWO);
    }

    static AssertionError loadFailure(long seed, Throwable failure) {
        return new AssertionError("concurrent load failed; replay with -D" + SEED_PROPERTY + "=" + seed, failure);
    }

    /** The votes a {@link BankAdapter#prepareMany} stage completes with, waited for at most 30 s. */
    protected static List<Vote> votesOf(CompletionStage<List<Vote>> votes) {
        try {
            return votes.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the prepareMany stage did not complete with votes", e);
        }
    }

    /** Waits at most 30 s for a {@link BankAdapter#commitMany} or {@link BankAdapter#rollbackMany} stage. */
    protected static void applied(CompletionStage<Void> message) {
        try {
            message.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the message was not acknowledged", e);
        }
    }

    protected static List<BranchPrepare> prepares(Object... xidsAndPostings) {
        List<BranchPrepare> branches = new ArrayList<>();
        for (int i = 0; i < xidsAndPostings.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Posting> postings = (List<Posting>) xidsAndPostings[i + 1];
            branches.add(new BranchPrepare(xid((String) xidsAndPostings[i]), postings));
        }
        return branches;
    }

    @Test
    @Checks(ContractPoint.C15)
    void prepareMessageVotesForEachBranchAsItsOwnPrepareWouldAndHoldsOnlyTheCommitted() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));

        List<Vote> votes = votesOf(bank.prepareMany(prepares(
                "t1", transfer("a", "b", 60),
                "t2", debit("a", 41),
                "t3", debit("nowhere", 1),
                "t4", List.of(),
                "t5", debit("a", 40))));

        assertThat(votes)
                .containsExactly(
                        Vote.COMMIT,
                        abort(Reason.INSUFFICIENT_FUNDS),
                        abort(Reason.UNKNOWN_ACCOUNT),
                        Vote.READ_ONLY,
                        Vote.COMMIT);
        assertThat(bank.recover()).containsExactlyInAnyOrder(xid("t1"), xid("t5"));
        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 100));
        applied(bank.commitMany(List.of(xid("t1"), xid("t5"))));
        assertAtRest(bank, balances("a", 0L, "b", 60L));
    }

    @Test
    @Checks(ContractPoint.C15)
    void commitAndRollbackMessagesFinishEachOfTheirBranches() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        votesOf(bank.prepareMany(
                prepares("t1", transfer("a", "b", 10), "t2", transfer("a", "b", 20), "t3", transfer("a", "b", 30))));

        applied(bank.commitMany(List.of(xid("t3"), xid("t1"))));
        applied(bank.rollbackMany(List.of(xid("t2"))));

        assertAtRest(bank, balances("a", 60L, "b", 40L));
    }

    @Test
    @Checks(ContractPoint.C15)
    void duplicatedMessagesApplyNothingTwice() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        List<BranchPrepare> message = prepares("t1", transfer("a", "b", 30), "t2", transfer("a", "b", 50));

        assertThat(votesOf(bank.prepareMany(message))).containsOnly(Vote.COMMIT);
        assertThat(votesOf(bank.prepareMany(message))).containsOnly(Vote.COMMIT);
        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 80));
        applied(bank.commitMany(List.of(xid("t1"))));
        applied(bank.commitMany(List.of(xid("t1"))));
        applied(bank.rollbackMany(List.of(xid("t2"))));
        applied(bank.rollbackMany(List.of(xid("t2"))));

        assertThat(votesOf(bank.prepareMany(message)))
                .as("a prepare message repeated after its branches finished")
                .containsExactly(Vote.COMMIT, abort(Reason.TIMEOUT));
        assertAtRest(bank, balances("a", 70L, "b", 30L));
    }

    @Test
    @Checks(ContractPoint.C9)
    void rollbackMessageBeforeItsPrepareMessageAbortsTheLateBranchesWithTimeout() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));

        applied(bank.rollbackMany(List.of(xid("t1"), xid("t2"))));
        List<Vote> votes = votesOf(bank.prepareMany(
                prepares("t1", transfer("a", "b", 10), "t3", transfer("a", "b", 20), "t2", transfer("a", "b", 30))));

        assertThat(votes).containsExactly(abort(Reason.TIMEOUT), Vote.COMMIT, abort(Reason.TIMEOUT));
        assertThat(bank.recover()).containsExactly(xid("t3"));
        applied(bank.commitMany(List.of(xid("t3"))));
        assertAtRest(bank, balances("a", 80L, "b", 20L));
    }

    @Test
    @Checks(ContractPoint.C15)
    void commitMessageRepeatedAfterRollbacksOfOtherXidsChangesNothing() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        votesOf(bank.prepareMany(prepares("t1", transfer("a", "b", 10), "t2", transfer("a", "b", 20))));
        applied(bank.commitMany(List.of(xid("t1"))));
        applied(bank.rollbackMany(List.of(xid("t2"), xid("never-prepared"))));

        applied(bank.commitMany(List.of(xid("t1"), xid("never-prepared"), xid("also-unknown"))));
        applied(bank.rollbackMany(List.of(xid("t2"))));

        assertAtRest(bank, balances("a", 90L, "b", 10L));
        assertThat(votesOf(bank.prepareMany(prepares("never-prepared", debit("a", 1)))))
                .containsExactly(abort(Reason.TIMEOUT));
        assertAtRest(bank, balances("a", 90L, "b", 10L));
    }

    @Test
    @Checks(ContractPoint.C15)
    void prepareMessageAgreesWithSinglePreparesOfTheSameBranches() {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("t1"), transfer("a", "b", 60));

        List<Vote> votes = votesOf(bank.prepareMany(prepares("t1", transfer("a", "b", 60), "t2", debit("a", 41))));

        assertThat(votes).containsExactly(Vote.COMMIT, abort(Reason.INSUFFICIENT_FUNDS));
        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 60));
        bank.commit(xid("t1"));
        assertAtRest(bank, balances("a", 40L, "b", 60L));
    }

    @Test
    @Checks(ContractPoint.C16)
    void duplicatedCallsFromManyThreadsApplyOnce() throws Exception {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));

        List<Vote> votes = onManyThreadsAtOnce(() -> bank.prepare(xid("t1"), transfer("a", "b", 60)));
        assertThat(votes).containsOnly(Vote.COMMIT);
        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 60));
        onManyThreadsAtOnce(() -> {
            bank.commit(xid("t1"));
            return null;
        });

        assertAtRest(bank, balances("a", 40L, "b", 60L));
    }

    @Test
    @Checks(ContractPoint.C16)
    void duplicatedRollbacksFromManyThreadsReleaseOnce() throws Exception {
        BankAdapter bank = openBank(balances("a", 100L, "b", 0L));
        bank.prepare(xid("other"), debit("a", 30));
        bank.prepare(xid("t1"), transfer("a", "b", 60));

        onManyThreadsAtOnce(() -> {
            bank.rollback(xid("t1"));
            return null;
        });

        assertThat(balanceOf(bank, "a")).isEqualTo(new AccountBalance("a", 100, 30));
        bank.commit(xid("other"));
        assertAtRest(bank, balances("a", 70L, "b", 0L));
    }

    /** Starts {@code call} on several threads released together, and returns what each returned. */
    static <T> List<T> onManyThreadsAtOnce(Callable<T> call) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(CONCURRENT_CALLERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < CONCURRENT_CALLERS; i++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(LOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }
}
