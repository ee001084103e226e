package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayaraMicroServerTest {
    @Test
    void theApplicationAnswersWhenItsOwnResourceRefusesTheMethodOrTheCaller() {
        assertThat(PayaraMicroServer.answersItself(405)).isTrue();
        assertThat(PayaraMicroServer.answersItself(401)).isTrue();
    }

    @Test
    void notFoundOrAServerErrorMeansMicroAnsweredForAnApplicationNotMappedYet() {
        assertThat(PayaraMicroServer.answersItself(404)).isFalse();
        assertThat(PayaraMicroServer.answersItself(503)).isFalse();
        assertThat(PayaraMicroServer.answersItself(500)).isFalse();
    }
}
