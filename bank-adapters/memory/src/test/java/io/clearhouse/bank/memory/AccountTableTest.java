package io.clearhouse.bank.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.spi.AccountBalances;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AccountTableTest {
    private static AccountTable table(Map<String, Long> balances) {
        return new AccountTable(AccountBalances.copyOf(balances));
    }

    private static Map<String, Long> ordered(Object... idsAndBalances) {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (int i = 0; i < idsAndBalances.length; i += 2) {
            balances.put((String) idsAndBalances[i], ((Number) idsAndBalances[i + 1]).longValue());
        }
        return balances;
    }

    @Test
    void makesAnAccountOnlyWhenABranchFirstTouchesItAndKeepsThatOne() {
        AccountTable table = table(ordered("b", 5, "a", 7));
        List<Account> touched = new ArrayList<>();
        table.forEachTouched(touched::add);
        assertThat(touched).isEmpty();

        Account a = table.get("a");

        assertThat(a.id).isEqualTo("a");
        assertThat(a.posted()).isEqualTo(7);
        assertThat(table.get("a")).isSameAs(a);
        assertThat(table.get("nobody")).isNull();
        table.forEachTouched(touched::add);
        assertThat(touched).containsExactly(a);
    }

    @Test
    void readsPostedBalancesOfTouchedAndUntouchedAccountsInOpeningOrder() {
        AccountTable table = table(ordered("c", 3, "a", 10, "b", 0));
        Account a = table.get("a");
        a.hold(-4);
        a.post(-4);

        AccountBalances posted = table.postedBalances();

        assertThat(posted).containsExactly(Map.entry("c", 3L), Map.entry("a", 6L), Map.entry("b", 0L));
        a.hold(2);
        a.post(2);
        assertThat(posted.get("a")).as("a snapshot, not a view").isEqualTo(6L);
    }

    @Test
    void refusesANegativeOpeningBalanceAtOnce() {
        assertThatThrownBy(() -> table(ordered("a", 1, "b", -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("account b has a negative opening balance: -1");
    }

    @Test
    void threadsTouchingAnUntouchedAccountAtOnceAgreeOnOne() throws Exception {
        int threads = 8;
        for (int round = 0; round < 200; round++) {
            AccountTable table = table(ordered("a", 1));
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Account>> found = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    found.add(executor.submit(() -> {
                        start.await();
                        return table.get("a");
                    }));
                }
                start.countDown();
                Account first = found.get(0).get();
                for (Future<Account> other : found) {
                    assertThat(other.get()).isSameAs(first);
                }
            } finally {
                executor.shutdownNow();
            }
        }
    }
}
