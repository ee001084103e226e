package io.clearhouse.core.recovery;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Xid;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Asks every bank for its prepared branches ({@link BankAdapter#recoverAsync()}) before waiting for any answer, so
 * that banks hosted by one server answer in a few shared requests rather than a round trip each; recovery then takes
 * the answers bank by bank, as it took the blocking calls.
 */
final class PreparedBranchQueries {
    private final Map<String, CompletableFuture<Set<Xid>>> asked = new LinkedHashMap<>();

    private PreparedBranchQueries() {}

    /** Sends every bank's question at once; a bank that fails at once has a failed answer, waited for like others. */
    static PreparedBranchQueries askAll(Map<String, ? extends BankAdapter> banks) {
        PreparedBranchQueries queries = new PreparedBranchQueries();
        banks.forEach((bankId, bank) -> queries.asked.put(bankId, ask(bank)));
        return queries;
    }

    private static CompletableFuture<Set<Xid>> ask(BankAdapter bank) {
        try {
            return bank.recoverAsync().toCompletableFuture();
        } catch (BankException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The answer of {@code bank}, waited for.
     *
     * @throws BankException when the bank's call failed
     */
    Set<Xid> answerOf(BankAdapter bank) {
        CompletableFuture<Set<Xid>> answer = asked.get(bank.bankId());
        if (answer == null) {
            throw new IllegalStateException("bank " + bank.bankId() + " was not asked for its prepared branches");
        }
        return BankException.await(answer);
    }
}
