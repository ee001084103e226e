package io.clearhouse.api.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StringSetTest {
    private final StringSet ids = new StringSet();

    @Test
    void answersOneInstanceForEqualStretchesOfDifferentLines() {
        String first = ids.canonical("t1,acc-1,acc-2,5", 3, 8);
        String second = ids.canonical("t2, acc-1 ,x,5", 4, 9);

        assertThat(first).isEqualTo("acc-1");
        assertThat(second).isSameAs(first);
    }

    @Test
    void keepsIdsWithTheSameHashApart() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());

        String aa = ids.canonical("Aa", 0, 2);
        String bb = ids.canonical("BB", 0, 2);

        assertThat(bb).isEqualTo("BB").isNotSameAs(aa);
        assertThat(ids.canonical("xAa", 1, 3)).isSameAs(aa);
        assertThat(ids.canonical("xBB", 1, 3)).isSameAs(bb);
    }

    @Test
    void tellsAPrefixFromTheWholeId() {
        String whole = ids.canonical("ab", 0, 2);

        assertThat(ids.canonical("ab", 0, 1)).isEqualTo("a").isNotSameAs(whole);
    }

    @Test
    void findsEveryIdAgainAfterGrowingManyTimes() {
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String line = "t" + i + ",bank-" + i + ",x,1";
            first.add(ids.canonical(line, line.indexOf(',') + 1, line.indexOf(",x")));
        }

        for (int i = 0; i < 10_000; i++) {
            String line = "bank-" + i;
            assertThat(ids.canonical(line, 0, line.length())).isSameAs(first.get(i));
        }
    }

    @Test
    void addsAStringOnceAndSharesItWithStretches() {
        String id = new String("t-1");

        assertThat(ids.add(id)).isTrue();
        assertThat(ids.add(new String("t-1"))).isFalse();
        assertThat(ids.add("t-2")).isTrue();
        assertThat(ids.canonical("x,t-1,y", 2, 5)).isSameAs(id);
    }

    @Test
    void addsHalfAMillionDistinctStringsAndKnowsEachAgain() {
        for (int i = 0; i < 500_000; i++) {
            assertThat(ids.add("t" + i)).isTrue();
        }
        for (int i = 0; i < 500_000; i++) {
            assertThat(ids.add("t" + i)).isFalse();
        }
    }
}
