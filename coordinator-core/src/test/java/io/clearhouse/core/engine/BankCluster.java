package io.clearhouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real memory banks for scenario tests, held in memory or durable in a directory, with the invariants every fault
 * test checks afterwards: money conserved, nothing held, no branch left prepared.
 */
final class BankCluster implements AutoCloseable {
    private final Map<String, Map<String, Long>> initialBalances;
    private final Path directory;
    private final Map<String, BankAdapter> banks = new LinkedHashMap<>();

    private BankCluster(Map<String, Map<String, Long>> initialBalances, Path directory) {
        this.initialBalances = initialBalances;
        this.directory = directory;
        open();
    }

    /** Banks A (accounts a1, a2) and B (b1, b2), each account holding 100. */
    static Map<String, Map<String, Long>> twoBanks() {
        Map<String, Map<String, Long>> balances = new LinkedHashMap<>();
        balances.put("A", Map.of("a1", 100L, "a2", 100L));
        balances.put("B", Map.of("b1", 100L, "b2", 100L));
        return balances;
    }

    static BankCluster inMemory(Map<String, Map<String, Long>> initialBalances) {
        return new BankCluster(initialBalances, null);
    }

    static BankCluster durable(Map<String, Map<String, Long>> initialBalances, Path directory) {
        return new BankCluster(initialBalances, directory);
    }

    private void open() {
        initialBalances.forEach((bankId, balances) -> banks.put(
                bankId,
                directory == null
                        ? MemoryBankAdapter.inMemory(bankId, balances)
                        : MemoryBankAdapter.durable(bankId, balances, directory.resolve("bank-" + bankId), true)));
    }

    Map<String, BankAdapter> banks() {
        return banks;
    }

    BankAdapter bank(String bankId) {
        return banks.get(bankId);
    }

    /** Closes every bank and opens it again from its write-ahead log, as after a crash of the process. */
    void restart() {
        if (directory == null) {
            throw new IllegalStateException("only durable banks survive a restart");
        }
        close();
        banks.clear();
        open();
    }

    long posted(String account) {
        for (BankAdapter bank : banks.values()) {
            Long posted = bank.postedBalances().get(account);
            if (posted != null) {
                return posted;
            }
        }
        throw new IllegalArgumentException("no account " + account);
    }

    /** Money conserved, no negative balance, nothing held, no branch prepared. */
    void assertInvariants() {
        assertInvariants(0);
    }

    /**
     * As {@link #assertInvariants()}, but with the banks' total off by {@code heuristicDifference}: what an operator's
     * heuristic decision moved against the decision log.
     */
    void assertInvariants(long heuristicDifference) {
        // Sums in BigInteger, since balances near 2^63-1 would wrap a long and hide a difference.
        BigInteger expected = BigInteger.ZERO;
        for (Map<String, Long> balances : initialBalances.values()) {
            for (long balance : balances.values()) {
                expected = expected.add(BigInteger.valueOf(balance));
            }
        }
        BigInteger total = BigInteger.ZERO;
        for (BankAdapter bank : banks.values()) {
            assertThat(bank.recover())
                    .as("branches prepared at " + bank.bankId())
                    .isEmpty();
            for (String account : bank.accounts()) {
                AccountBalance balance = bank.account(account).orElseThrow();
                assertThat(balance.posted()).as("posted balance of " + account).isNotNegative();
                assertThat(balance.held()).as("held amount of " + account).isZero();
                total = total.add(BigInteger.valueOf(balance.posted()));
            }
        }
        assertThat(total).as("money in all banks").isEqualTo(expected.add(BigInteger.valueOf(heuristicDifference)));
    }

    /**
     * How an engine test ends: closes {@code coordinator}, if it opened one, then checks the invariants, and closes
     * the banks whatever the check found.
     */
    void closeAfter(EmbeddedCoordinator coordinator) {
        closeAfter(coordinator, 0);
    }

    /** As {@link #closeAfter(EmbeddedCoordinator)}, with a heuristic decision's difference allowed. */
    void closeAfter(EmbeddedCoordinator coordinator, long heuristicDifference) {
        try {
            if (coordinator != null) {
                coordinator.close();
            }
            assertInvariants(heuristicDifference);
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        for (BankAdapter bank : banks.values()) {
            bank.close();
        }
    }
}
