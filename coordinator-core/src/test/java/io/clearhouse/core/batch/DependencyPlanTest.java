package io.clearhouse.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Reason;
import io.clearhouse.api.batch.BatchLine;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyPlanTest {
    private static BatchLine.Transfer transfer(int line, String from, String to) {
        return new BatchLine.Transfer(line, "t" + line, from, to, 1);
    }

    @Test
    void transfersOnDisjointAccountsAreReadyAtOnce() {
        DependencyPlan plan = DependencyPlan.of(List.of(transfer(1, "a", "b"), transfer(2, "c", "d")));

        assertThat(plan.initiallyReady()).containsExactly(0, 1);
        assertThat(plan.predecessorCounts()).containsExactly(0, 0);
        assertThat(plan.sourceSuccessor(0)).isEqualTo(DependencyPlan.NONE);
        assertThat(plan.destinationSuccessor(0)).isEqualTo(DependencyPlan.NONE);
    }

    @Test
    void chainsTransfersOnOneAccountInFileOrder() {
        DependencyPlan plan =
                DependencyPlan.of(List.of(transfer(1, "a", "b"), transfer(2, "c", "a"), transfer(3, "a", "d")));

        assertThat(plan.initiallyReady()).containsExactly(0);
        assertThat(plan.predecessorCounts()).containsExactly(0, 1, 1);
        assertThat(plan.sourceSuccessor(0)).isEqualTo(1);
        assertThat(plan.destinationSuccessor(1)).isEqualTo(2);
        assertThat(plan.destinationSuccessor(0)).isEqualTo(DependencyPlan.NONE);
    }

    @Test
    void waitsForBothQueuesWhenEachAccountHasAPredecessor() {
        DependencyPlan plan =
                DependencyPlan.of(List.of(transfer(1, "a", "b"), transfer(2, "c", "d"), transfer(3, "b", "c")));

        assertThat(plan.initiallyReady()).containsExactly(0, 1);
        assertThat(plan.predecessorCounts()[2]).isEqualTo(2);
        assertThat(plan.destinationSuccessor(0)).isEqualTo(2);
        assertThat(plan.sourceSuccessor(1)).isEqualTo(2);
    }

    @Test
    void countsOnePredecessorTwiceWhenItSharesBothAccounts() {
        DependencyPlan plan = DependencyPlan.of(List.of(transfer(1, "a", "b"), transfer(2, "b", "a")));

        assertThat(plan.predecessorCounts()[1]).isEqualTo(2);
        assertThat(plan.sourceSuccessor(0)).isEqualTo(1);
        assertThat(plan.destinationSuccessor(0)).isEqualTo(1);
    }

    @Test
    void refusedLinesTakePartInNoQueue() {
        DependencyPlan plan = DependencyPlan.of(List.of(
                transfer(1, "a", "b"), new BatchLine.Refused(2, "t2", Reason.INVALID_AMOUNT), transfer(3, "b", "c")));

        assertThat(plan.transferCount()).isEqualTo(2);
        assertThat(plan.initiallyReady()).containsExactly(0);
        assertThat(plan.predecessorCounts()).containsExactly(0, 0, 1);
        assertThat(plan.destinationSuccessor(0)).isEqualTo(2);
    }
}
