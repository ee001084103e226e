package io.clearhouse.spi;

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
}
