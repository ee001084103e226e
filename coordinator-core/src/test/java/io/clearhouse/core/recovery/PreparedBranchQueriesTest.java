package io.clearhouse.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Posting;
import io.clearhouse.core.log.InMemoryDecisionLog;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Recovery asks every bank for its prepared branches before it waits for any answer: here a bank answers only once
 * every bank has been asked, as banks behind one server whose requests are shared would, so recovery that waited for
 * one bank before asking the next would wait in vain (until the answers' deadline fails them, and the test).
 */
class PreparedBranchQueriesTest {
    private static final int BANKS = 5;

    @Test
    void recoveryAtOpenAsksEveryBankBeforeWaitingForAny() {
        Map<String, AnswersOnceAllAsked> banks = banks();
        RecoveryReport report = new Recovery(banks, InMemoryDecisionLog.discarding(), 1, 0, 16, branches -> {}).run();
        assertThat(report.rolledBackBranches()).isEqualTo(BANKS);
        banks.values().forEach(bank -> assertThat(bank.rolledBack).containsExactly(new Xid("t", bank.bankId())));
    }

    @Test
    void inDoubtPassAsksEveryBankBeforeWaitingForAny() {
        Map<String, AnswersOnceAllAsked> banks = banks();
        InDoubtReport report = new InDoubtRecovery(
                        banks, InMemoryDecisionLog.discarding(), new InDoubtBranches(), 16, branches -> {})
                .run(globalId -> false);
        assertThat(report.rolledBack()).isEqualTo(BANKS);
        assertThat(report.stillInDoubt()).isZero();
    }

    @Test
    void aBankWhoseAnswerFailsIsStillInDoubtWhileTheOthersAreResolved() {
        Map<String, AnswersOnceAllAsked> banks = banks();
        banks.get("bank-2").failAnswer = true;
        InDoubtReport report = new InDoubtRecovery(
                        banks, InMemoryDecisionLog.discarding(), new InDoubtBranches(), 16, branches -> {})
                .run(globalId -> false);
        assertThat(report.rolledBack()).isEqualTo(BANKS - 1);
        assertThat(report.stillInDoubt()).isEqualTo(1);
    }

    private static Map<String, AnswersOnceAllAsked> banks() {
        CompletableFuture<Void> allAsked = new CompletableFuture<>();
        int[] asked = {0};
        Map<String, AnswersOnceAllAsked> banks = new LinkedHashMap<>();
        Runnable onAsked = () -> {
            if (++asked[0] == BANKS) {
                allAsked.complete(null);
            }
        };
        for (int i = 0; i < BANKS; i++) {
            String bankId = "bank-" + i;
            banks.put(bankId, new AnswersOnceAllAsked(bankId, allAsked, onAsked));
        }
        return banks;
    }

    /** Holds one prepared branch, {@code t}; answers {@code recoverAsync} once every bank was asked. */
    private static final class AnswersOnceAllAsked implements BankAdapter {
        private final String bankId;
        private final CompletableFuture<Void> allAsked;
        private final Runnable onAsked;
        private final List<Xid> rolledBack = new ArrayList<>();
        private boolean failAnswer;

        AnswersOnceAllAsked(String bankId, CompletableFuture<Void> allAsked, Runnable onAsked) {
            this.bankId = bankId;
            this.allAsked = allAsked;
            this.onAsked = onAsked;
        }

        @Override
        public CompletionStage<Set<Xid>> recoverAsync() {
            onAsked.run();
            return allAsked.copy().orTimeout(10, TimeUnit.SECONDS).thenApply(ignored -> {
                if (failAnswer) {
                    throw new BankException(bankId, "the answer failed");
                }
                return Set.of(new Xid("t", bankId));
            });
        }

        @Override
        public Set<Xid> recover() {
            throw new BankException(bankId, "recovery should have asked with recoverAsync");
        }

        @Override
        public CompletionStage<Void> rollbackMany(List<Xid> xids) {
            rolledBack.addAll(xids);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String bankId() {
            return bankId;
        }

        @Override
        public Set<String> accounts() {
            return Set.of();
        }

        @Override
        public Vote prepare(Xid xid, List<Posting> postings) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void commit(Xid xid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void rollback(Xid xid) {
            rolledBack.add(xid);
        }

        @Override
        public Optional<AccountBalance> account(String account) {
            return Optional.empty();
        }

        @Override
        public Map<String, Long> postedBalances() {
            return Map.of();
        }

        @Override
        public void close() {}
    }
}
