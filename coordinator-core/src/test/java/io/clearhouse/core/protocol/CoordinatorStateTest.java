package io.clearhouse.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CoordinatorStateTest {
    @Test
    void followsThePathsOfTwoPhaseCommit() {
        assertThat(CoordinatorState.ACTIVE.transitionTo(CoordinatorState.PREPARING))
                .isEqualTo(CoordinatorState.PREPARING);
        assertThat(CoordinatorState.PREPARING.transitionTo(CoordinatorState.COMMITTING))
                .isEqualTo(CoordinatorState.COMMITTING);
        assertThat(CoordinatorState.PREPARING.transitionTo(CoordinatorState.ABORTING))
                .isEqualTo(CoordinatorState.ABORTING);
        assertThat(CoordinatorState.ACTIVE.transitionTo(CoordinatorState.ABORTING))
                .isEqualTo(CoordinatorState.ABORTING);
        assertThat(CoordinatorState.COMMITTING.transitionTo(CoordinatorState.COMPLETED))
                .isEqualTo(CoordinatorState.COMPLETED);
        assertThat(CoordinatorState.ABORTING.transitionTo(CoordinatorState.COMPLETED))
                .isEqualTo(CoordinatorState.COMPLETED);
    }

    @Test
    void refusesToCommitWithoutPreparingOrToLeaveCompleted() {
        assertThatThrownBy(() -> CoordinatorState.ACTIVE.transitionTo(CoordinatorState.COMMITTING))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> CoordinatorState.ABORTING.transitionTo(CoordinatorState.COMMITTING))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> CoordinatorState.COMPLETED.transitionTo(CoordinatorState.ABORTING))
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(CoordinatorState.class)
    void transitionToAgreesWithTheTableOfPredecessors(CoordinatorState next) {
        for (CoordinatorState from : CoordinatorState.values()) {
            boolean allowed = next.allowedPredecessors().contains(from);
            if (allowed) {
                assertThat(from.transitionTo(next)).isEqualTo(next);
            } else {
                assertThatThrownBy(() -> from.transitionTo(next)).isInstanceOf(IllegalStateException.class);
            }
        }
    }
}
