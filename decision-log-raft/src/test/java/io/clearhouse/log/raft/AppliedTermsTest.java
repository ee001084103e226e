package io.clearhouse.log.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.Test;

class AppliedTermsTest {
    private final AppliedTerms terms = new AppliedTerms();

    @Test
    void knowsTheTermOfEveryAppliedEntryAndNoneBeyond() {
        terms.applied(TermIndex.valueOf(1, 0));
        terms.applied(TermIndex.valueOf(1, 1));
        terms.applied(TermIndex.valueOf(3, 2));
        terms.applied(TermIndex.valueOf(3, 3));
        terms.applied(TermIndex.valueOf(4, 4));

        assertThat(terms.termIndexOf(0)).isEqualTo(TermIndex.valueOf(1, 0));
        assertThat(terms.termIndexOf(1)).isEqualTo(TermIndex.valueOf(1, 1));
        assertThat(terms.termIndexOf(3)).isEqualTo(TermIndex.valueOf(3, 3));
        assertThat(terms.termIndexOf(4)).isEqualTo(TermIndex.valueOf(4, 4));
        assertThat(terms.termIndexOf(5)).as("not applied yet").isNull();
    }

    @Test
    void knowsNothingBeforeTheSnapshotItRestartedFrom() {
        terms.applied(TermIndex.valueOf(1, 0));
        terms.restartAfter(TermIndex.valueOf(2, 10));
        terms.applied(TermIndex.valueOf(2, 11));
        terms.applied(TermIndex.valueOf(5, 12));

        assertThat(terms.termIndexOf(0)).isNull();
        assertThat(terms.termIndexOf(9)).isNull();
        assertThat(terms.termIndexOf(10)).isEqualTo(TermIndex.valueOf(2, 10));
        assertThat(terms.termIndexOf(11)).isEqualTo(TermIndex.valueOf(2, 11));
        assertThat(terms.termIndexOf(12)).isEqualTo(TermIndex.valueOf(5, 12));
    }

    @Test
    void forgetsTheOldestTermsBeyondItsLimitRatherThanGuess() {
        for (int term = 1; term <= 2_000; term++) {
            terms.applied(TermIndex.valueOf(term, term * 10L));
        }

        assertThat(terms.termIndexOf(10)).isNull();
        assertThat(terms.termIndexOf(20_000)).isEqualTo(TermIndex.valueOf(2_000, 20_000));
        assertThat(terms.termIndexOf(19_995)).isEqualTo(TermIndex.valueOf(1_999, 19_995));
    }
}
