package io.clearhouse.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountBalancesTest {
    @Test
    void isAMapInInsertionOrderEqualToAnyOtherWithTheSameBalances() {
        Map<String, Long> source = new LinkedHashMap<>();
        source.put("carol", 7L);
        source.put("alice", 0L);
        source.put("bob", Long.MAX_VALUE);

        AccountBalances balances = AccountBalances.copyOf(source);

        assertThat(balances)
                .containsExactly(Map.entry("carol", 7L), Map.entry("alice", 0L), Map.entry("bob", Long.MAX_VALUE));
        assertThat(balances.keySet()).containsExactly("carol", "alice", "bob");
        assertThat(balances).isEqualTo(Map.of("alice", 0L, "bob", Long.MAX_VALUE, "carol", 7L));
        assertThat(balances.hashCode()).isEqualTo(source.hashCode());
        assertThat(balances.get("bob")).isEqualTo(Long.MAX_VALUE);
        assertThat(balances.get("dave")).isNull();
        assertThat(balances.get(42)).isNull();
        assertThat(balances.keySet().contains("alice")).isTrue();
        assertThat(AccountBalances.copyOf(balances)).isSameAs(balances);
    }

    @Test
    void splitsOneIndexIntoRunsThatEachSeeOnlyTheirOwnAccounts() {
        AccountBalances.Builder builder = new AccountBalances.Builder(0);
        builder.put("a1", 1);
        builder.put("a2", 2);
        AccountBalances first = builder.endRun();
        AccountBalances empty = builder.endRun();
        builder.put("b1", 3);
        AccountBalances second = builder.endRun();

        assertThat(first).isEqualTo(Map.of("a1", 1L, "a2", 2L));
        assertThat(empty).isEmpty();
        assertThat(second).isEqualTo(Map.of("b1", 3L));
        assertThat(first.containsKey("b1")).isFalse();
        assertThat(second.get("a1")).isNull();
        assertThat(second.positionOf("b1")).isZero();
        assertThat(second.id(0)).isEqualTo("b1");
        assertThat(builder.size()).isEqualTo(3);
        assertThat(builder.positionOf("a2")).isEqualTo(1);
    }

    @Test
    void refusesAnIdThatAnyRunHasAlready() {
        AccountBalances.Builder builder = new AccountBalances.Builder(4);
        builder.put("a", 1);
        builder.endRun();

        assertThat(builder.put("a", 2)).isFalse();
        assertThat(builder.endRun()).isEmpty();
    }

    @Test
    void givesOtherBalancesForTheSameAccounts() {
        AccountBalances opening = AccountBalances.copyOf(Map.of("a", 1L));

        AccountBalances later = opening.withBalances(new long[] {9});

        assertThat(later).isEqualTo(Map.of("a", 9L));
        assertThat(opening).isEqualTo(Map.of("a", 1L));
        assertThatThrownBy(() -> opening.withBalances(new long[2])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cannotBeChanged() {
        AccountBalances balances = AccountBalances.copyOf(Map.of("a", 1L));

        assertThatThrownBy(() -> balances.put("b", 2L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> balances.keySet().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> balances.entrySet().iterator().next().setValue(3L))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
