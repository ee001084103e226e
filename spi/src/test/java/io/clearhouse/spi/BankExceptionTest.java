package io.clearhouse.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class BankExceptionTest {
    @Test
    void awaitReturnsTheValueOfAStageThatSucceeded() {
        assertThat(BankException.await(CompletableFuture.completedStage("answer")))
                .isEqualTo("answer");
    }

    @Test
    void awaitThrowsTheBankFailureAsTheBlockingCallWould() {
        BankException failure = new BankException("1", "storage failed");

        assertThatThrownBy(() -> BankException.await(CompletableFuture.failedStage(failure)))
                .isSameAs(failure);
    }

    @Test
    void awaitLeavesAnyOtherFailureInsideItsCompletionException() {
        IllegalStateException bug = new IllegalStateException("bug");

        assertThatThrownBy(() -> BankException.await(CompletableFuture.failedStage(bug)))
                .isInstanceOf(CompletionException.class)
                .hasCause(bug);
    }
}
