package io.clearhouse.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The kit's fault injection finds what it is for: each bank here is {@link ReferenceBankAdapter} with one rule of the
 * contract broken, and the kit must fail naming that rule's point. A kit that passed these banks would pass broken
 * adapters too.
 */
class KitFindsBrokenAdaptersTest {
    private static final FaultInjectionRun.Seeds SEEDS = new FaultInjectionRun.Seeds(1, 40);
    private static final FaultInjectionRun.Settings NO_REOPENS = new FaultInjectionRun.Settings(30, 0);
    private static final FaultInjectionRun.Settings REOPENS = new FaultInjectionRun.Settings(20, 2);

    private final Map<String, Long> opening = FaultInjectionRun.openingBalances();
    private final ReferenceBankAdapter.Storage storage = new ReferenceBankAdapter.Storage();

    @Test
    void namesCommitIdempotentWhenARepeatedCommitPostsAgain() {
        BankAdapter bank = new PostsRepeatedCommitsAgain(reference());

        assertThatThrownBy(() -> run(bank, NO_REOPENS, FaultInjectionRun.Restarter.NOT_DURABLE))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("contract point C7 commit-idempotent (a repeated commit posts once) broken:")
                .hasMessageContaining("script of seed")
                .hasMessageContaining("replay with -Dclearhouse.kit.seed=1 -Dclearhouse.kit.seeds=");
    }

    @Test
    void namesVoteDurableWhenAReopenForgetsPreparedBranches() {
        FaultInjectionRun.Restarter forgetful = closing -> {
            BankAdapter reopened = reference();
            reopened.recover().forEach(reopened::rollback);
            return reopened;
        };

        assertThatThrownBy(() -> run(reference(), REOPENS, forgetful))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("contract point C11 vote-durable")
                .hasMessageContaining("close and reopen -> reopened");
    }

    @Test
    void namesAbortLeavesNothingWhenABranchAbortedInAMessageHoldsMoney() {
        BankAdapter bank = new HoldsForBranchesAbortedInAMessage(reference());

        assertThatThrownBy(() -> run(bank, NO_REOPENS, FaultInjectionRun.Restarter.NOT_DURABLE))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("contract point C5 abort-leaves-nothing")
                .hasMessageContaining("prepareMany");
    }

    @Test
    void namesLatePrepareAbortsWhenARollbackOfAnUnknownXidIsForgotten() {
        BankAdapter bank = new ForgetsRollbacksOfUnknownXids(reference());

        assertThatThrownBy(() -> run(bank, NO_REOPENS, FaultInjectionRun.Restarter.NOT_DURABLE))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("contract point C9 late-prepare-aborts")
                .hasMessageContaining("(never prepared) -> acknowledged");
    }

    @Test
    void passesTheReferenceBankOverManySeeds() {
        run(reference(), NO_REOPENS, FaultInjectionRun.Restarter.NOT_DURABLE);
    }

    @Test
    void passesTheReferenceBankReopenedOverManySeeds() {
        run(reference(), REOPENS, closing -> reference());
    }

    @Test
    void testsOfTheKitNameThePointTheyCheck() {
        List<Throwable> failures = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(BrokenCommitsConformance.class, "repeatedCommitPostsOnce"))
                .execute()
                .testEvents()
                .failed()
                .stream()
                .map(KitFindsBrokenAdaptersTest::thrown)
                .toList();

        assertThat(failures).singleElement().satisfies(failure -> assertThat(failure)
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("contract point C7 commit-idempotent (a repeated commit posts once) broken:")
                .hasMessageContaining("posted balances"));
    }

    private static Throwable thrown(Event event) {
        return event.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable)
                .orElseThrow();
    }

    /** The kit against a bank that posts a repeated commit again; run only by the test above. */
    static class BrokenCommitsConformance extends BankAdapterContract {
        @Override
        protected BankAdapter open(String bankId, Map<String, Long> initialBalances) {
            return new PostsRepeatedCommitsAgain(
                    new ReferenceBankAdapter(bankId, initialBalances, new ReferenceBankAdapter.Storage()));
        }
    }

    @Test
    void namesThePointOfAFailureOnce() {
        AssertionError failure = ContractPoint.C7.broken("balance of a was 90, expected 100", null);

        assertThatThrownBy(() -> ContractPoint.C2.check(() -> {
                    throw failure;
                }))
                .isSameAs(failure)
                .hasMessage("contract point C7 commit-idempotent (a repeated commit posts once) broken: balance of a"
                        + " was 90, expected 100");
        assertThatThrownBy(() -> ContractPoint.C2.check(() -> {
                    throw new AssertionError("posted balance of a");
                }))
                .hasMessageStartingWith("contract point C2 commit-posts (")
                .hasMessageEndingWith("broken: posted balance of a");
    }

    private ReferenceBankAdapter reference() {
        return new ReferenceBankAdapter(BankAdapterContract.BANK_ID, opening, storage);
    }

    private static void run(
            BankAdapter bank, FaultInjectionRun.Settings settings, FaultInjectionRun.Restarter restarter) {
        FaultInjectionRun.run(bank, SEEDS, settings, restarter);
    }

    /**
     * Posts the credits of a commit again when it is repeated, as a bank that keys nothing by xid would (its debits
     * too, but the balance may no longer cover them).
     */
    private static final class PostsRepeatedCommitsAgain extends ForwardingBank {
        private final Map<Xid, List<Posting>> prepared = new HashMap<>();
        private final Set<Xid> committed = new HashSet<>();
        private int repeats;

        PostsRepeatedCommitsAgain(BankAdapter real) {
            super(real);
        }

        @Override
        public Vote prepare(Xid xid, List<Posting> postings) {
            Vote vote = super.prepare(xid, postings);
            prepared.putIfAbsent(xid, postings);
            return vote;
        }

        @Override
        public void commit(Xid xid) {
            List<Posting> credits = prepared.getOrDefault(xid, List.of()).stream()
                    .filter(posting -> !posting.isDebit())
                    .toList();
            if (committed.add(xid) || credits.isEmpty()) {
                super.commit(xid);
                return;
            }
            Xid again = new Xid(xid.transactionId() + "-repeat" + repeats++, xid.bankId());
            super.prepare(again, credits);
            super.commit(again);
        }
    }

    /** Leaves a hold of 1 behind for every branch of a prepare message that it refused. */
    private static final class HoldsForBranchesAbortedInAMessage extends ForwardingBank {
        HoldsForBranchesAbortedInAMessage(BankAdapter real) {
            super(real);
        }

        @Override
        public CompletionStage<List<Vote>> prepareMany(List<BranchPrepare> branches) {
            return super.prepareMany(branches).thenApply(votes -> {
                for (int i = 0; i < votes.size(); i++) {
                    if (votes.get(i) instanceof Vote.Abort abort && abort.reason() != Reason.TIMEOUT) {
                        holdOne(branches.get(i).xid());
                    }
                }
                return votes;
            });
        }

        private void holdOne(Xid xid) {
            for (String account : new ArrayList<>(postedBalances().keySet())) {
                Xid leak = new Xid(xid.transactionId() + "-leak", xid.bankId());
                if (real.prepare(leak, List.of(new Posting(account, -1))).equals(Vote.COMMIT)) {
                    return;
                }
            }
        }
    }

    /** Acknowledges a rollback of an xid it does not hold without remembering it, so that its late prepare holds. */
    private static final class ForgetsRollbacksOfUnknownXids extends ForwardingBank {
        ForgetsRollbacksOfUnknownXids(BankAdapter real) {
            super(real);
        }

        @Override
        public void rollback(Xid xid) {
            if (real.recover().contains(xid)) {
                super.rollback(xid);
            }
        }
    }
}
