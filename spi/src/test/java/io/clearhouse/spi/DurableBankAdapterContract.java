package io.clearhouse.spi;

import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for a bank whose state survives a crash: everything {@link BankAdapterContract} asks, and
 * that prepared branches, commits and rollbacks outlive the bank instance. The kit closes the open instance before it
 * calls {@link #reopen}, which must find the state the closed one left, typically in the same {@code @TempDir}.
 *
 * <pre>{@code
 * class DurableMyBankConformanceTest extends DurableBankAdapterContract {
 *     @TempDir
 *     Path directory;
 *
 *     @Override
 *     protected BankAdapter open(String bankId, Map<String, Long> initialBalances) {
 *         Map<String, String> settings = Map.of("directory", directory.toString());
 *         return new MyBankProvider().open(new BankConfig(bankId, initialBalances, settings));
 *     }
 *
 *     @Override
 *     protected BankAdapter reopen(String bankId, Map<String, Long> initialBalances) {
 *         return open(bankId, initialBalances);
 *     }
 * }
 * }</pre>
 */
public abstract class DurableBankAdapterContract extends BankAdapterContract {
    /** Opens the same bank again after the previous instance was closed, restoring its durable state. */
    protected abstract BankAdapter reopen(String bankId, Map<String, Long> initialBalances);

    /*
     * A reopen of a bank over the network starts a server process (about a second), so by default each seed reopens
     * once, at a random position; clearhouse.kit.seeds and clearhouse.kit.reopens ask for more.
     */
    private static final int REOPEN_SEEDS = 3;
    private static final int REOPEN_STEPS = 20;
    private static final int REOPENS_PER_SEED = 1;

    /** Closes {@code bank} and opens it again with the same opening balances. */
    private BankAdapter restart(BankAdapter bank, Map<String, Long> initialBalances) {
        closeBank(bank);
        return track(reopen(BANK_ID, initialBalances));
    }

    @Test
    @Checks(ContractPoint.C11)
    void keepsEveryRuleWhenClosedAndReopenedBetweenCalls() {
        Map<String, Long> opening = FaultInjectionRun.openingBalances();
        BankAdapter bank = openBank(opening);
        FaultInjectionRun.Seeds seeds = faultSeeds();

        FaultInjectionRun.run(
                bank,
                new FaultInjectionRun.Seeds(seeds.first(), Integer.getInteger(SEEDS_PROPERTY, REOPEN_SEEDS)),
                new FaultInjectionRun.Settings(REOPEN_STEPS, Integer.getInteger(REOPENS_PROPERTY, REOPENS_PER_SEED)),
                closing -> restart(closing, opening));
    }

    @Test
    @Checks(ContractPoint.C11)
    void preparedDebitSurvivesReopenAndCommitsOnce() {
        Map<String, Long> opening = balances("a", 100L, "b", 0L);
        BankAdapter bank = openBank(opening);
        bank.prepare(xid("t1"), transfer("a", "b", 60));

        BankAdapter reopened = restart(bank, opening);

        assertThat(reopened.recover()).containsExactly(xid("t1"));
        assertThat(balanceOf(reopened, "a")).isEqualTo(new AccountBalance("a", 100, 60));
        assertThat(reopened.prepare(xid("t2"), debit("a", 41))).isEqualTo(abort(Reason.INSUFFICIENT_FUNDS));
        reopened.commit(xid("t1"));
        reopened.commit(xid("t1"));
        assertAtRest(reopened, balances("a", 40L, "b", 60L));
        assertAtRest(restart(reopened, opening), balances("a", 40L, "b", 60L));
    }

    @Test
    @Checks(ContractPoint.C11)
    void preparedDebitSurvivesReopenAndRollsBack() {
        Map<String, Long> opening = balances("a", 100L, "b", 0L);
        BankAdapter bank = openBank(opening);
        bank.prepare(xid("t1"), transfer("a", "b", 60));

        BankAdapter reopened = restart(bank, opening);
        reopened.rollback(xid("t1"));

        assertAtRest(reopened, opening);
        assertAtRest(restart(reopened, opening), opening);
    }

    @Test
    @Checks(ContractPoint.C11)
    void preparedCreditStillReservesRoomAfterReopen() {
        Map<String, Long> opening = balances("full", Long.MAX_VALUE - 10, "b", 0L);
        BankAdapter bank = openBank(opening);
        bank.prepare(xid("t1"), credit("full", 10));

        BankAdapter reopened = restart(bank, opening);

        assertThat(reopened.recover()).containsExactly(xid("t1"));
        assertThat(reopened.prepare(xid("t2"), credit("full", 1))).isEqualTo(abort(Reason.BALANCE_OVERFLOW));
        reopened.commit(xid("t1"));
        assertAtRest(reopened, balances("full", Long.MAX_VALUE, "b", 0L));
    }

    @Test
    @Checks(ContractPoint.C11)
    void preparedBranchSurvivesSeveralReopens() {
        Map<String, Long> opening = balances("a", 100L, "b", 0L);
        BankAdapter bank = openBank(opening);
        bank.prepare(xid("t1"), transfer("a", "b", 60));

        BankAdapter reopened = restart(restart(bank, opening), opening);

        assertThat(reopened.recover()).containsExactly(xid("t1"));
        assertThat(balanceOf(reopened, "a")).isEqualTo(new AccountBalance("a", 100, 60));
        reopened.commit(xid("t1"));
        assertAtRest(reopened, balances("a", 40L, "b", 60L));
    }

    @Test
    @Checks(ContractPoint.C12)
    void committedAndRolledBackBranchesSurviveReopen() {
        Map<String, Long> opening = balances("a", 100L, "b", 0L, "c", 7L);
        BankAdapter bank = openBank(opening);
        bank.prepare(xid("committed"), transfer("a", "b", 60));
        bank.prepare(xid("rolled-back"), transfer("c", "b", 7));
        bank.prepare(xid("aborted"), debit("c", 8));
        bank.commit(xid("committed"));
        bank.rollback(xid("rolled-back"));

        BankAdapter reopened = restart(bank, opening);

        assertAtRest(reopened, balances("a", 40L, "b", 60L, "c", 7L));
        reopened.commit(xid("committed"));
        reopened.rollback(xid("rolled-back"));
        assertAtRest(reopened, balances("a", 40L, "b", 60L, "c", 7L));
    }

    @Test
    @Checks(ContractPoint.C12)
    void reopenWithOtherOpeningBalancesKeepsDurableBalances() {
        Map<String, Long> opening = balances("a", 100L, "b", 0L);
        BankAdapter bank = openBank(opening);
        bank.prepare(xid("committed"), transfer("a", "b", 60));
        bank.commit(xid("committed"));
        bank.prepare(xid("prepared"), debit("a", 15));

        BankAdapter reopened = restart(bank, balances("a", 5_000L, "b", 5_000L));

        assertThat(reopened.postedBalances()).containsExactlyEntriesOf(balances("a", 40L, "b", 60L));
        assertThat(balanceOf(reopened, "a")).isEqualTo(new AccountBalance("a", 40, 15));
        reopened.commit(xid("prepared"));
        assertAtRest(reopened, balances("a", 25L, "b", 60L));
    }

    @Test
    @Checks(ContractPoint.C12)
    void reopenedBankKeepsServingNewBranches() {
        Map<String, Long> opening = balances("a", 100L, "b", 0L);
        BankAdapter bank = openBank(opening);
        bank.prepare(xid("t1"), transfer("a", "b", 10));
        bank.commit(xid("t1"));

        BankAdapter reopened = restart(bank, opening);
        assertThat(reopened.prepare(xid("t2"), transfer("b", "a", 10))).isEqualTo(Vote.COMMIT);
        reopened.commit(xid("t2"));

        assertAtRest(restart(reopened, opening), opening);
    }

    @Test
    @Checks(ContractPoint.C12)
    void concurrentlyCommittedBranchesSurviveReopen() {
        Map<String, Long> opening = loadOpeningBalances();
        BankAdapter bank = openBank(opening);
        long seed = loadSeed();
        try {
            Map<String, Long> expected = new ConcurrentTransferLoad(bank, loadSettings(seed)).run();

            assertAtRest(restart(bank, opening), expected);
        } catch (Exception | AssertionError e) {
            throw loadFailure(seed, e);
        }
    }

    @Test
    @Checks(ContractPoint.C11)
    void everyBranchPreparedConcurrentlySurvivesReopen() throws Exception {
        Map<String, Long> opening = balances("a", 1_000L, "b", 0L);
        BankAdapter bank = openBank(opening);
        AtomicInteger next = new AtomicInteger();

        List<Vote> votes = onManyThreadsAtOnce(() -> {
            int branch = next.getAndIncrement();
            return bank.prepare(xid("t" + branch), transfer("a", "b", 10));
        });
        BankAdapter reopened = restart(bank, opening);

        assertThat(votes).containsOnly(Vote.COMMIT);
        Set<Xid> prepared = new HashSet<>();
        for (int branch = 0; branch < CONCURRENT_CALLERS; branch++) {
            prepared.add(xid("t" + branch));
        }
        assertThat(reopened.recover()).containsExactlyInAnyOrderElementsOf(prepared);
        assertThat(balanceOf(reopened, "a")).isEqualTo(new AccountBalance("a", 1_000, 10L * CONCURRENT_CALLERS));
        prepared.forEach(reopened::commit);
        assertAtRest(reopened, balances("a", 1_000L - 10L * CONCURRENT_CALLERS, "b", 10L * CONCURRENT_CALLERS));
    }

    @Test
    @Checks(ContractPoint.C11)
    void branchesPreparedAsynchronouslySurviveReopenOnceVoted() {
        Map<String, Long> opening = balances("a", 1_000L, "b", 0L);
        BankAdapter bank = openBank(opening);
        int branches = 100;

        List<CompletionStage<Vote>> pending = new ArrayList<>();
        for (int branch = 0; branch < branches; branch++) {
            pending.add(bank.prepareAsync(xid("t" + branch), transfer("a", "b", 10)));
        }
        List<Vote> votes = pending.stream().map(BankAdapterContract::voteOf).toList();
        BankAdapter reopened = restart(bank, opening);

        assertThat(votes).containsOnly(Vote.COMMIT);
        assertThat(reopened.recover()).hasSize(branches);
        assertThat(balanceOf(reopened, "a")).isEqualTo(new AccountBalance("a", 1_000, 10L * branches));
        reopened.recover().forEach(reopened::commit);
        assertAtRest(reopened, balances("a", 0L, "b", 1_000L));
    }

    @Test
    @Checks(ContractPoint.C11)
    void reopenedAfterAPrepareMessageHoldsExactlyTheBranchesThatVotedCommit() {
        Map<String, Long> opening = balances("a", 100L, "b", 0L);
        BankAdapter bank = openBank(opening);
        List<Vote> votes = votesOf(bank.prepareMany(prepares(
                "t1", transfer("a", "b", 30),
                "t2", debit("a", 90),
                "t3", debit("nowhere", 1),
                "t4", transfer("a", "b", 20))));

        BankAdapter reopened = restart(bank, opening);

        assertThat(votes)
                .containsExactly(
                        Vote.COMMIT, abort(Reason.INSUFFICIENT_FUNDS), abort(Reason.UNKNOWN_ACCOUNT), Vote.COMMIT);
        assertThat(reopened.recover()).containsExactlyInAnyOrder(xid("t1"), xid("t4"));
        assertThat(balanceOf(reopened, "a")).isEqualTo(new AccountBalance("a", 100, 50));
        assertThat(votesOf(reopened.prepareMany(prepares("t2", debit("a", 50), "t1", transfer("a", "b", 30)))))
                .as("t2 left nothing behind, t1 is still prepared")
                .containsExactly(Vote.COMMIT, Vote.COMMIT);
        applied(reopened.commitMany(List.of(xid("t1"), xid("t2"))));
        applied(reopened.rollbackMany(List.of(xid("t4"), xid("t3"))));
        BankAdapter again = restart(reopened, opening);
        assertAtRest(again, balances("a", 20L, "b", 30L));
        assertThat(votesOf(again.prepareMany(prepares("t3", debit("a", 1), "t4", debit("a", 1)))))
                .as("the rollback message's tombstone and rollback survive the reopen")
                .containsExactly(abort(Reason.TIMEOUT), abort(Reason.TIMEOUT));
        assertAtRest(again, balances("a", 20L, "b", 30L));
    }
}
