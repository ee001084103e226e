package io.clearhouse.bank.memory;

import static io.clearhouse.bank.memory.DurableMemoryBankTest.balances;
import static io.clearhouse.bank.memory.DurableMemoryBankTest.transfer;
import static io.clearhouse.bank.memory.DurableMemoryBankTest.xid;
import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.Vote;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryBankTest {
    @Test
    void isNonBlockingAndForcesNothing() {
        try (MemoryBankAdapter bank = MemoryBankAdapter.inMemory("bank-1", balances("a", 10L, "b", 0L))) {
            bank.prepare(xid("t1"), transfer("a", "b", 10));
            bank.commit(xid("t1"));

            assertThat(bank.nonBlocking()).isTrue();
            assertThat(bank.forcedWrites()).isZero();
            assertAtRest(bank, balances("a", 0L, "b", 10L));
        }
    }

    @Test
    void abortsABranchThatNamesAnAccountTwiceWithSameAccount() {
        try (MemoryBankAdapter bank = MemoryBankAdapter.inMemory("bank-1", balances("a", 10L, "b", 0L))) {
            List<Posting> twice = List.of(new Posting("b", 5), new Posting("a", -5), new Posting("b", -5));

            assertThat(bank.prepare(xid("t1"), twice)).isEqualTo(Vote.abort(Reason.SAME_ACCOUNT));

            assertThat(bank.recover()).isEmpty();
            assertAtRest(bank, balances("a", 10L, "b", 0L));
        }
    }

    @Test
    void abortsADebitOfLongMinValueWithInsufficientFunds() {
        try (MemoryBankAdapter bank = MemoryBankAdapter.inMemory("bank-1", balances("a", Long.MAX_VALUE))) {
            List<Posting> debit = List.of(new Posting("a", Long.MIN_VALUE));

            assertThat(bank.prepare(xid("t1"), debit)).isEqualTo(Vote.abort(Reason.INSUFFICIENT_FUNDS));

            assertAtRest(bank, balances("a", Long.MAX_VALUE));
        }
    }

    @Test
    void remembersAtLeastTheLastFinishedXidsOfTheBoundAndForgetsOlderOnes() {
        MemoryBankOptions options = MemoryBankOptions.inMemory().withFinishedXidsMax(2);
        try (MemoryBankAdapter bank = MemoryBankAdapter.open("bank-1", balances("a", 100L, "b", 0L), options)) {
            bank.rollback(xid("oldest"));
            bank.prepare(xid("t1"), transfer("a", "b", 1));
            bank.commit(xid("t1"));
            bank.rollback(xid("t2"));
            bank.prepare(xid("t3"), transfer("a", "b", 1));
            bank.commit(xid("t3"));

            assertThat(bank.prepare(xid("t2"), transfer("a", "b", 1))).isEqualTo(Vote.abort(Reason.TIMEOUT));
            assertThat(bank.prepare(xid("t3"), transfer("a", "b", 1))).isEqualTo(Vote.COMMIT);
            assertThat(bank.recover()).isEmpty();
            assertThat(bank.prepare(xid("oldest"), transfer("a", "b", 1))).isEqualTo(Vote.COMMIT);
            bank.rollback(xid("oldest"));
            assertAtRest(bank, balances("a", 98L, "b", 2L));
        }
    }

    @Test
    void locksAccountsInIdOrderSoOpposingTransfersNeverDeadlock() throws Exception {
        try (MemoryBankAdapter bank = MemoryBankAdapter.inMemory("bank-1", balances("a", 1_000L, "b", 1_000L))) {
            Thread forward = new Thread(() -> moveBackAndForth(bank, "forward", "a", "b"));
            Thread backward = new Thread(() -> moveBackAndForth(bank, "backward", "b", "a"));
            forward.start();
            backward.start();
            forward.join(60_000);
            backward.join(60_000);

            assertThat(forward.isAlive() || backward.isAlive())
                    .as("a transfer thread is stuck")
                    .isFalse();
            assertAtRest(bank, balances("a", 1_000L, "b", 1_000L));
        }
    }

    private static void moveBackAndForth(MemoryBankAdapter bank, String name, String from, String to) {
        for (int i = 0; i < 20_000; i++) {
            Vote vote = bank.prepare(xid(name + i), transfer(from, to, 1));
            assertThat(vote).isEqualTo(Vote.COMMIT);
            bank.rollback(xid(name + i));
        }
    }
}
