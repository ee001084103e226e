package io.clearhouse.spi;

/**
 * An account as its bank sees it.
 *
 * @param account the account id
 * @param posted the balance of committed postings
 * @param held the part of {@code posted} held by prepared debits; {@code posted - held} is available
 */
public record AccountBalance(String account, long posted, long held) {
    public long available() {
        return posted - held;
    }
}
