package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Outcome;
import io.clearhouse.core.Coordinator;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What clients sent and what they were told, for fault tests that check afterwards what the banks hold. Once the
 * faults are over, every transfer's outcome is read back from the coordinator (its decision log answers for those a
 * client never heard of), and the banks must hold exactly the opening balances plus the transfers recorded
 * committed: each applied once, none of the others at all.
 */
final class TransferLedger {
    /** A transfer a client sent. */
    record Sent(String id, String from, String to, long amount) {}

    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final Map<String, Outcome> told = new ConcurrentHashMap<>();

    void sent(Sent transfer) {
        sent.put(transfer.id(), transfer);
    }

    void told(Outcome outcome) {
        told.put(outcome.transactionId(), outcome);
    }

    long toldCommitted() {
        return told.values().stream().filter(Outcome::isCommitted).count();
    }

    long toldAborted() {
        return told.values().stream().filter(outcome -> !outcome.isCommitted()).count();
    }

    /**
     * Checks the invariants: no branch left prepared and nothing held at any bank, no negative balance, money
     * conserved, every outcome a client was told still the recorded one, and every account's balance exactly its
     * opening balance moved by the transfers recorded committed.
     */
    void assertInvariants(
            Coordinator coordinator, Map<String, BankAdapter> banks, Map<String, Map<String, Long>> opening) {
        assertInvariants(coordinator::outcome, banks, opening);
    }

    /**
     * As {@link #assertInvariants(Coordinator, Map, Map)}, with each transfer's recorded outcome read through {@code
     * recorded}: a cluster's leader answers it over HTTP.
     */
    void assertInvariants(
            Function<String, Optional<Outcome>> recorded,
            Map<String, BankAdapter> banks,
            Map<String, Map<String, Long>> opening) {
        Map<String, Long> expected = new HashMap<>();
        opening.values().forEach(expected::putAll);
        long total = expected.values().stream().mapToLong(Long::longValue).sum();
        for (Sent transfer : sent.values()) {
            Optional<Outcome> recordedOutcome = recorded.apply(transfer.id());
            Outcome toldOutcome = told.get(transfer.id());
            if (toldOutcome != null) {
                assertThat(recordedOutcome)
                        .as("recorded outcome of %s, told %s", transfer.id(), toldOutcome)
                        .contains(toldOutcome);
            }
            if (recordedOutcome.isPresent() && recordedOutcome.get().isCommitted()) {
                expected.merge(transfer.from(), -transfer.amount(), Long::sum);
                expected.merge(transfer.to(), transfer.amount(), Long::sum);
            }
        }
        long sum = 0;
        for (BankAdapter bank : banks.values()) {
            assertThat(bank.recover())
                    .as("branches bank %s holds prepared", bank.bankId())
                    .isEmpty();
            for (Map.Entry<String, Long> posted : bank.postedBalances().entrySet()) {
                String account = posted.getKey();
                assertThat(posted.getValue()).as("balance of %s", account).isNotNegative();
                assertThat(posted.getValue()).as("balance of %s", account).isEqualTo(expected.get(account));
                AccountBalance balance = bank.account(account).orElseThrow();
                assertThat(balance.held()).as("held on %s", account).isZero();
                sum += posted.getValue();
            }
        }
        assertThat(sum).as("money across all banks").isEqualTo(total);
    }

    List<Sent> sentTransfers() {
        return List.copyOf(sent.values());
    }
}
