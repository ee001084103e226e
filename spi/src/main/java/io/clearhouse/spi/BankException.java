package io.clearhouse.spi;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * An infrastructure failure inside a bank adapter: the bank could not be reached, its storage failed, it was
 * closed. Never a business refusal (that is a {@link Vote.Abort}). The coordinator treats a failed prepare as an
 * abort with {@code BANK_UNAVAILABLE} and retries a failed commit or rollback.
 */
public class BankException extends RuntimeException {
    private final String bankId;

    public BankException(String bankId, String message, Throwable cause) {
        super("bank " + bankId + ": " + message, cause);
        this.bankId = bankId;
    }

    public BankException(String bankId, String message) {
        this(bankId, message, null);
    }

    public String bankId() {
        return bankId;
    }

    /**
     * Waits for a stage of a bank's asynchronous call and returns its value, or throws its {@code BankException} as
     * the blocking call would have thrown it. The stages of {@link BankAdapter} fail with a {@code BankException} only;
     * any other failure is a bug and is thrown as the {@link CompletionException} that carries it.
     */
    public static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof BankException bankFailure) {
                throw bankFailure;
            }
            throw e;
        }
    }
}
