package io.clearhouse.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AccountIndexTest {
    @Test
    void givesEachIdItsPositionInTheOrderAdded() {
        AccountIndex index = new AccountIndex(0);
        assertThat(index.add("carol")).isTrue();
        assertThat(index.add("alice")).isTrue();
        assertThat(index.add("bob")).isTrue();

        assertThat(index.size()).isEqualTo(3);
        assertThat(index.indexOf("carol")).isZero();
        assertThat(index.indexOf("alice")).isEqualTo(1);
        assertThat(index.id(2)).isEqualTo("bob");
        assertThat(index.indexOf("dave")).isEqualTo(-1);
    }

    @Test
    void refusesAnIdItHasAlreadyAndKeepsItsFirstPosition() {
        AccountIndex index = new AccountIndex(4);
        index.add("a");
        index.add("b");

        assertThat(index.add(new String("a"))).isFalse();
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.indexOf("a")).isZero();
    }

    @Test
    void growsPastItsExpectedSizeAndKeepsEveryPosition() {
        AccountIndex index = new AccountIndex(1);
        for (int i = 0; i < 100_000; i++) {
            assertThat(index.add("account-" + i)).isTrue();
        }
        for (int i = 0; i < 100_000; i++) {
            assertThat(index.indexOf("account-" + i)).isEqualTo(i);
        }
        assertThat(index.indexOf("account-100000")).isEqualTo(-1);
    }

    @Test
    void findsIdsWhoseHashCodesCollide() {
        // "Aa" and "BB" have the same hash code, and so does every string made of them of one length.
        AccountIndex index = new AccountIndex(0);
        String[] colliding = {"AaAa", "AaBB", "BBAa", "BBBB"};
        for (String id : colliding) {
            index.add(id);
        }
        for (int i = 0; i < colliding.length; i++) {
            assertThat(index.indexOf(colliding[i])).isEqualTo(i);
        }
        assertThat(index.indexOf("AaAaAa")).isEqualTo(-1);
    }

    @Test
    void agreesWithAHashMapOnRandomIds() {
        SplittableRandom random = new SplittableRandom(20_261_207);
        AccountIndex index = new AccountIndex(16);
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < 50_000; i++) {
            String id = Long.toString(random.nextLong(30_000), 36);
            boolean added = index.add(id);
            assertThat(added).isEqualTo(!expected.containsKey(id));
            expected.putIfAbsent(id, expected.size());
        }
        assertThat(index.size()).isEqualTo(expected.size());
        expected.forEach((id, position) -> assertThat(index.indexOf(id)).isEqualTo(position));
    }

    @Test
    void refusesAPositionBeyondItsIds() {
        AccountIndex index = new AccountIndex(8);
        index.add("a");

        assertThatThrownBy(() -> index.id(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new AccountIndex(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
